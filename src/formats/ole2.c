/* PLACEHOLDER: being written (issue 2). */
#include "core/handler.h"
static unsigned probe(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }
const lure_handler lure_handler_ole2 = { .name = "ole2", .kind = "ole2", .probe = probe, .walk = NULL };
