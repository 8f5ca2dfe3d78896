/* PLACEHOLDER: being written (issue 2). */
#include "core/handler.h"
static unsigned probe(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }
const lure_handler lure_handler_rels = { .name = "rels", .kind = "rels", .probe = probe, .walk = NULL };
const lure_handler lure_handler_content_types = { .name = "content_types", .kind = "content_types", .probe = probe, .walk = NULL };
const lure_handler lure_handler_xml = { .name = "xml", .kind = "xml", .probe = probe, .walk = NULL };
