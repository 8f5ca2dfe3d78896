/* limits.c - default limits; see limits.h for the reason behind each. */
#include "limits.h"

void lure_limits_default(lure_limits *l)
{
	l->max_depth = LURE_DEFAULT_MAX_DEPTH;
	l->max_artifacts = LURE_DEFAULT_MAX_ARTIFACTS;
	l->max_artifact_size = LURE_DEFAULT_MAX_ARTIFACT_SIZE;
	l->max_total_size = LURE_DEFAULT_MAX_TOTAL_SIZE;
	l->max_ratio = LURE_DEFAULT_MAX_RATIO;
	l->ratio_floor = LURE_DEFAULT_RATIO_FLOOR;
	l->timeout_ms = LURE_DEFAULT_TIMEOUT_MS;
	l->rtf_group_depth = LURE_DEFAULT_RTF_GROUP_DEPTH;
	l->xml_max_nodes = LURE_DEFAULT_XML_MAX_NODES;
	l->xml_max_depth = LURE_DEFAULT_XML_MAX_DEPTH;
	l->max_input_size = LURE_DEFAULT_MAX_INPUT_SIZE;
	l->yara_timeout_s = LURE_DEFAULT_YARA_TIMEOUT_S;
	l->max_relationships = LURE_DEFAULT_MAX_RELATIONSHIPS;
}
