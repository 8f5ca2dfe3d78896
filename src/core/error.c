/* error.c - messages for lure_error; a unit test checks every code has one. */
#include <stddef.h>
#include "error.h"

static const char *const messages[LURE_E__COUNT] = {
	[LURE_OK] = "success",
	[LURE_E_NOMEM] = "out of memory",
	[LURE_E_TRUNCATED] = "data truncated: a read ran past the end",
	[LURE_E_MALFORMED] = "malformed data",
	[LURE_E_LIMIT] = "a scan limit was reached",
	[LURE_E_TIMEOUT] = "scan time limit reached",
	[LURE_E_IO] = "input/output error",
	[LURE_E_INVALID_ARG] = "invalid argument",
	[LURE_E_UNSUPPORTED] = "unsupported feature",
	[LURE_E_RULES] = "YARA rules could not be compiled or loaded",
	[LURE_E_UNSAFE_PATH] = "unsafe output path",
	[LURE_E_EXISTS] = "output file already exists",
};

const char *lure_strerror(lure_error err)
{
	if ((unsigned)err >= LURE_E__COUNT || messages[err] == NULL)
		return "unknown error";
	return messages[err];
}
