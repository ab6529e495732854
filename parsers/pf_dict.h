/* pf_dict - a hash table of Postfix parameters: name -> value plus where the
 * value was set.
 *
 * Lookups and updates are O(1) on average (open addressing, FNV-1a, the
 * table doubles at 50% load), so reading a 100 000-line main.cf stays
 * linear. Names and values are owned copies; file is borrowed and must
 * outlive the table (it is the path string of the file that was read).
 */
#ifndef MP_PF_DICT_H
#define MP_PF_DICT_H

#include <stddef.h>

struct pf_param {
    char *name;       /* NULL marks an empty slot */
    char *value;
    const char *file; /* borrowed; NULL for a value that came from no file */
    unsigned line;
    size_t aux;       /* free for the owner (e.g. an index into another array) */
};

struct pf_dict {
    struct pf_param *slots;
    size_t cap, n;
};

#define PF_DICT_INIT { NULL, 0, 0 }

/* pf_dict_find - the entry for name, or NULL. */
struct pf_param *pf_dict_find(const struct pf_dict *dict, const char *name);
/* pf_dict_set - create or replace name's value and location; returns the entry. */
struct pf_param *pf_dict_set(struct pf_dict *dict, const char *name, const char *value, const char *file,
                             unsigned line);
void pf_dict_free(struct pf_dict *dict);

#endif
