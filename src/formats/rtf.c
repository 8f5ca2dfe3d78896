/*
 * rtf.c - Rich Text Format (RTF 1.9.1).
 *
 * Word accepts any file that starts with "{\rt" as RTF (not only "{\rtf1"),
 * which lures use to dodge signatures that look for "{\rtf". This handler
 * recognises the format; the tokenizer and object extraction come with the
 * lure-chain work (issue 3).
 */
#include <string.h>
#include "core/handler.h"

#define RTF_SIGNATURE "{\\rt"

static unsigned probe(const uint8_t *d, size_t n)
{
	if (n >= 4 && memcmp(d, RTF_SIGNATURE, 4) == 0)
		return LURE_BID_CERTAIN;
	return 0;
}

const lure_handler lure_handler_rtf = {
	.name = "rtf",
	.kind = "rtf",
	.probe = probe,
	.walk = NULL,
};
