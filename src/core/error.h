/*
 * error.h - the one error enum of lurescan, with a complete strerror.
 *
 * Verdicts are not errors: a detection is report data (see finding.h). An
 * error says that something could not be done.  Recoverable errors on one
 * artifact (LURE_E_MALFORMED, LURE_E_TRUNCATED, LURE_E_LIMIT) become findings
 * on that artifact and the scan goes on; LURE_E_NOMEM and LURE_E_IO on the
 * input itself end the scan of that input.
 */
#ifndef LURE_ERROR_H
#define LURE_ERROR_H

typedef enum lure_error {
	LURE_OK = 0,
	LURE_E_NOMEM,       /* an allocation failed */
	LURE_E_TRUNCATED,   /* a read ran past the end of the data */
	LURE_E_MALFORMED,   /* the data breaks its format's rules */
	LURE_E_LIMIT,       /* a configured limit was reached */
	LURE_E_TIMEOUT,     /* the scan time limit was reached */
	LURE_E_IO,          /* reading or writing a file failed */
	LURE_E_INVALID_ARG, /* a caller passed a bad argument */
	LURE_E_UNSUPPORTED, /* the data uses a feature we do not handle */
	LURE_E_RULES,       /* YARA rules failed to compile or load */
	LURE_E_UNSAFE_PATH, /* an output path would leave its directory */
	LURE_E_EXISTS,      /* an output file already exists */
	LURE_E__COUNT       /* number of codes; not an error */
} lure_error;

/* Returns a static, never-NULL message for any value, "unknown error" for
 * values outside the enum. */
const char *lure_strerror(lure_error err);

#endif
