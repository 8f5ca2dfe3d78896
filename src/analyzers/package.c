/* PLACEHOLDER: being written (issue 3). */
#include "core/handler.h"
const lure_analyzer lure_analyzer_package = { .name = "package" };
