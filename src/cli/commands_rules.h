/*
 * commands_rules.h - the `rules` and `regress` subcommands of lurescan.
 *
 * Both follow main.c's subcommand contract: argv[0] is the command name,
 * the return value is the exit status. Exit statuses:
 *   rules check    0 clean, 1 lint errors (or warnings with --strict),
 *                  2 could not run (bad option, unreadable path/manifest)
 *   rules compile  0 written, 2 compile or write error
 *   regress        0 no regression, 1 regression, 2 could not run
 */
#ifndef LURE_COMMANDS_RULES_H
#define LURE_COMMANDS_RULES_H

/* `lurescan rules check|compile ...` (cmd_rules.c). */
int lure_cmd_rules(int argc, char **argv);
/* `lurescan regress SAMPLES_DIR ...` (cmd_regress.c). */
int lure_cmd_regress(int argc, char **argv);

#endif
