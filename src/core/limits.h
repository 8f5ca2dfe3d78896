/*
 * limits.h - every limit lurescan enforces, in one place.
 *
 * Each limit has a default here, a command-line option, and a name that
 * appears as details.limit of the limit.exceeded finding raised when it is
 * hit. Hitting a limit never crashes and is never silent: the scan records the
 * finding (and the name in limits_hit[]) and goes on with what it can.
 */
#ifndef LURE_LIMITS_H
#define LURE_LIMITS_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"

/* Nesting depth of artifacts (root = 0). docx > rtf > ole1 > cfb > ... chains
 * are short in real lures; ClamAV uses 17. An artifact at this depth is
 * listed but not unpacked. Option --max-depth; name "depth". */
#define LURE_DEFAULT_MAX_DEPTH 16u

/* Artifacts per input: ZIP or CFB with absurd entry counts. Further children
 * are not created. Option --max-artifacts; name "artifacts". */
#define LURE_DEFAULT_MAX_ARTIFACTS 10000u

/* Bytes of one artifact: decompression bombs. An entry that would grow past
 * this is refused before its bytes are allocated. Option --max-artifact-size;
 * name "artifact_size". */
#define LURE_DEFAULT_MAX_ARTIFACT_SIZE (100u * 1024u * 1024u)

/* Expanded bytes of all artifacts of one input: nested bombs (ClamAV's
 * MaxScanSize). Option --max-total-size; name "total_size". */
#define LURE_DEFAULT_MAX_TOTAL_SIZE (400ull * 1024u * 1024u)

/* Decompression ratio of one entry, checked once it has grown past
 * LURE_DEFAULT_RATIO_FLOOR bytes: ZIP bombs. Option --max-ratio; name
 * "ratio". */
#define LURE_DEFAULT_MAX_RATIO 200u
#define LURE_DEFAULT_RATIO_FLOOR (1024u * 1024u)

/* Wall-clock time to scan one input: a gateway cannot wait longer. Option
 * --timeout (seconds); name "timeout". */
#define LURE_DEFAULT_TIMEOUT_MS 30000u

/* RTF group nesting: deeply nested braces. Name "rtf_group_depth". */
#define LURE_DEFAULT_RTF_GROUP_DEPTH 1000u

/* XML: nodes per document and element depth (DTDs, entities and network
 * access are always off). Names "xml_nodes" and "xml_depth". */
#define LURE_DEFAULT_XML_MAX_NODES 2000000u
#define LURE_DEFAULT_XML_MAX_DEPTH 256u

/* Time YARA may spend on one artifact, in seconds (libyara's own timeout).
 * Name "yara_timeout". Option --yara-timeout. */
#define LURE_DEFAULT_YARA_TIMEOUT_S 10u

/* OPC relationships recorded per input: a flooded .rels would otherwise
 * cost hundreds of MB. Further relationships are not recorded. Name
 * "relationships". */
#define LURE_DEFAULT_MAX_RELATIONSHIPS 200000u

/* Input files larger than this are not read at all (an error). Name
 * "input_size". Option --max-input-size. */
#define LURE_DEFAULT_MAX_INPUT_SIZE (1024ull * 1024u * 1024u)

typedef struct lure_limits {
	unsigned max_depth;
	unsigned max_artifacts;
	uint64_t max_artifact_size;
	uint64_t max_total_size;
	unsigned max_ratio;
	uint64_t ratio_floor;
	unsigned timeout_ms;
	unsigned rtf_group_depth;
	unsigned xml_max_nodes;
	unsigned xml_max_depth;
	uint64_t max_input_size;
	unsigned yara_timeout_s;
	unsigned max_relationships;
} lure_limits;

/* Fills *l with the defaults above. */
void lure_limits_default(lure_limits *l);

/* The names used in details.limit, in one table. */
#define LURE_LIMIT_DEPTH "depth"
#define LURE_LIMIT_ARTIFACTS "artifacts"
#define LURE_LIMIT_ARTIFACT_SIZE "artifact_size"
#define LURE_LIMIT_TOTAL_SIZE "total_size"
#define LURE_LIMIT_RATIO "ratio"
#define LURE_LIMIT_TIMEOUT "timeout"
#define LURE_LIMIT_RTF_GROUP_DEPTH "rtf_group_depth"
#define LURE_LIMIT_XML_NODES "xml_nodes"
#define LURE_LIMIT_XML_DEPTH "xml_depth"
#define LURE_LIMIT_INPUT_SIZE "input_size"
#define LURE_LIMIT_YARA_TIMEOUT "yara_timeout"
#define LURE_LIMIT_RELATIONSHIPS "relationships"

#endif
