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

/*
 * Fixed structural bounds of the CFB walk (src/formats/ole2.c). These are
 * not tunable (they protect libgsf and our walk, not the user's budget), but
 * hitting one is still a limit.exceeded finding with the name below.
 */
/* Directory entries libgsf may build and we may walk: real files have at
 * most a few thousand. */
#define OLE2_MAX_ENTRIES 65536u
/* libgsf inserts each entry into its storage's sorted list, walking it:
 * k entries in one storage cost k * k / 2 steps (and as many again for our
 * walk, gsf_infile_child_by_index being linear). 2^26 steps, about 11,500
 * entries in one storage, take a second. */
#define OLE2_MAX_SORT_STEPS (1u << 26)
/* Nesting of storages in one compound file (embedded objects are separate
 * compound files, so real nesting is a handful). */
#define OLE2_MAX_STORAGE_DEPTH 64u
/* Frames of libgsf's recursive directory reader (~200 bytes each): writers
 * that chain siblings as a list (libgsf's own) need one frame per entry. */
#define OLE2_MAX_GSF_RECURSION 8192u
/* Bytes of the used-sector bitmap libgsf puts on the stack per chain. */
#define OLE2_GSF_STACK_BUDGET (512u * 1024u)
/* Directory slots (libgsf allocates one byte per slot): 128 MiB of
 * directory, which no real file has. */
#define OLE2_MAX_DIR_SLOTS (1u << 20)
/* container.malformed findings made from libgsf's messages per artifact. */
#define OLE2_MAX_LOG_FINDINGS 20u
/* Bytes per gsf_input_read() when copying a stream out. */
#define OLE2_READ_CHUNK (64u * 1024u)
/* details.limit of the limit.exceeded findings above. */
#define OLE2_LIMIT_ENTRIES "ole2_entries"
#define OLE2_LIMIT_SIBLINGS "ole2_siblings"
#define OLE2_LIMIT_STORAGE_DEPTH "ole2_storage_depth"
#define OLE2_LIMIT_GSF_RECURSION "ole2_directory_depth"

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
/* libyara's own internal caps (too many matches, ...), reported as hit. */
#define LURE_LIMIT_YARA_INTERNAL "yara_internal"
#define LURE_LIMIT_RELATIONSHIPS "relationships"
/* dde.field findings listed per artifact (src/analyzers/dde.c,
 * DDE_PER_ARTIFACT_MAX): a part flooded with fields stays one report. */
#define LURE_LIMIT_DDE_FIELDS "dde_fields"

#endif
