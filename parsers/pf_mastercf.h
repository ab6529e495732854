/* pf_mastercf - Postfix master.cf: one service per logical line.
 *
 * Rules (master(5), master/master_ent.c, postconf/postconf_master.c): the
 * logical-line rules of main.cf; 8 whitespace-separated fields (service,
 * type, private, unpriv, chroot, wakeup, maxproc, command) then arguments.
 * A token may be wrapped in { } to hold whitespace; the outer braces and the
 * whitespace inside them are removed. Arguments are options until the first
 * non-option argument (Linux getopt with '+'): -o name=value, -oname=value
 * and -o { name = value with spaces } set parameter overrides; the other
 * daemon options are skipped with their arguments. The last entry for a
 * service name/type wins; it takes the place of the earlier one.
 *
 * Problems master(8) or the daemon would refuse to run with (too few fields,
 * a bad type, boolean or number field, -o without value or without '=') are
 * DIAG_ERRORs with file:line and Postfix's wording where it has one; such an
 * entry is skipped when the fields are bad, kept (without the bad option)
 * when an option is bad.
 */
#ifndef MP_PF_MASTERCF_H
#define MP_PF_MASTERCF_H

#include <stddef.h>

#include "auditor/foundation/diag.h"
#include "parsers/pf_dict.h"

struct pf_override {
    char *name;
    char *value;
};

struct pf_service {
    char *name;
    char *type;
    char *command;   /* field 8 as written */
    unsigned line;   /* first line of the entry */
    int privileged;  /* the unpriv field is "n": master(8) does not pass -u, the daemon keeps root */
    struct pf_override *overrides; /* in the order given; the last of a name wins */
    size_t noverrides, overrides_cap;
    struct pf_dict override_index; /* name -> index of its last -o (aux) */
    int replaced;    /* a later entry with the same name/type replaces this one */
};

struct pf_mastercf {
    char *path;
    struct pf_service *items; /* in file order */
    size_t n, cap;
    struct pf_dict index;     /* "name/type" -> index of the live entry (aux) */
};

/* pf_mastercf_load - read DIR/master.cf into m (free it with
 * pf_mastercf_free in every case). Returns 0, or -1 with errno set when the
 * file cannot be read: DIAG_ERROR when it does not exist (Postfix cannot
 * start), else DIAG_UNREADABLE. */
int pf_mastercf_load(struct pf_mastercf *m, const char *dir, struct diag_list *diags);

/* pf_mastercf_load_text - the same from text in memory, reported as path. */
void pf_mastercf_load_text(struct pf_mastercf *m, const char *path, const char *text, size_t len,
                           struct diag_list *diags);

/* pf_mastercf_find - the live entry for name/type, or NULL. */
const struct pf_service *pf_mastercf_find(const struct pf_mastercf *m, const char *name, const char *type);

/* pf_mastercf_override - the value of the service's last -o for name, or NULL. */
const char *pf_mastercf_override(const struct pf_service *svc, const char *name);

/* pf_mastercf_command_base - the basename of the command field (a pointer into it). */
const char *pf_mastercf_command_base(const struct pf_service *svc);

void pf_mastercf_free(struct pf_mastercf *m);

#endif
