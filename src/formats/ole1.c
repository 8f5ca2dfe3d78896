/* PLACEHOLDER: being written (issue 3). */
#include "core/handler.h"
static unsigned probe(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }
const lure_handler lure_handler_ole1 = { .name = "ole1", .kind = "ole1", .probe = probe, .walk = NULL };
