/* pf_maincf - Postfix main.cf: logical lines of "name = value".
 *
 * Rules (Postfix util/split_nameval.c, util/dict.c dict_load_fp): the name is
 * the first run of characters that are neither whitespace nor '=', then
 * optional blanks and a required '='; the value is the rest with leading and
 * trailing whitespace removed (empty is legal). The last definition wins and
 * keeps the file:line of the winner; a redefinition with a different value
 * gets Postfix's "overriding earlier entry" warning. A line without a name or
 * '=' is fatal for every Postfix program: it is recorded as DIAG_ERROR with
 * Postfix's wording and the parser carries on so that all bad lines are seen.
 * Like mail_conf_suck(), config_directory is preset to the directory read.
 *
 * At most PF_MAINCF_MAX_REPORTS problems of one kind are recorded per file;
 * a summary line counts the rest (a binary file must not flood the report).
 */
#ifndef MP_PF_MAINCF_H
#define MP_PF_MAINCF_H

#include "auditor/foundation/diag.h"
#include "parsers/pf_dict.h"

#define PF_MAINCF_MAX_REPORTS 10

struct pf_maincf {
    char *dir;   /* configuration directory, as given */
    char *path;  /* dir + "/main.cf"; the file pointer of every entry */
    struct pf_dict params;
};

/* pf_maincf_load - read DIR/main.cf into cf (which the caller frees with
 * pf_maincf_free in every case). Returns 0, or -1 when the file cannot be
 * read (DIAG_UNREADABLE recorded, also when it does not exist: the caller
 * decides beforehand whether a missing directory means "not configured"). */
int pf_maincf_load(struct pf_maincf *cf, const char *dir, struct diag_list *diags);

/* pf_maincf_load_text - the same from text in memory, reported as path. */
void pf_maincf_load_text(struct pf_maincf *cf, const char *dir, const char *path, const char *text, size_t len,
                         struct diag_list *diags);

/* pf_maincf_split_nameval - split "name = value" in place (Postfix's
 * split_nameval). Returns NULL and sets *name and *value (pointers into
 * line), or Postfix's error text ("missing attribute name", "missing '='
 * after attribute name"). */
const char *pf_maincf_split_nameval(char *line, char **name, char **value);

void pf_maincf_free(struct pf_maincf *cf);

#endif
