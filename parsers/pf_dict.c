/* pf_dict - parameter hash table; see pf_dict.h. */
#include "parsers/pf_dict.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/xalloc.h"

static uint64_t pf_dict_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

/* The slot holding name, or the empty slot where it belongs. cap is a power of two. */
static struct pf_param *pf_dict_slot(struct pf_param *slots, size_t cap, const char *name)
{
    size_t i = (size_t)pf_dict_hash(name) & (cap - 1);
    while (slots[i].name && strcmp(slots[i].name, name) != 0)
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

struct pf_param *pf_dict_find(const struct pf_dict *dict, const char *name)
{
    if (dict->cap == 0)
        return NULL;
    struct pf_param *p = pf_dict_slot(dict->slots, dict->cap, name);
    return p->name ? p : NULL;
}

static void pf_dict_grow(struct pf_dict *dict)
{
    size_t cap = dict->cap ? dict->cap * 2 : 8;
    struct pf_param *slots = xcalloc(cap, sizeof(*slots));
    for (size_t i = 0; i < dict->cap; i++)
        if (dict->slots[i].name)
            *pf_dict_slot(slots, cap, dict->slots[i].name) = dict->slots[i];
    free(dict->slots);
    dict->slots = slots;
    dict->cap = cap;
}

struct pf_param *pf_dict_set(struct pf_dict *dict, const char *name, const char *value, const char *file,
                             unsigned line)
{
    if ((dict->n + 1) * 2 > dict->cap)
        pf_dict_grow(dict);
    struct pf_param *p = pf_dict_slot(dict->slots, dict->cap, name);
    if (p->name) {
        free(p->value);
    } else {
        p->name = xstrdup(name);
        p->aux = 0;
        dict->n++;
    }
    p->value = xstrdup(value);
    p->file = file;
    p->line = line;
    return p;
}

void pf_dict_free(struct pf_dict *dict)
{
    for (size_t i = 0; i < dict->cap; i++) {
        free(dict->slots[i].name);
        free(dict->slots[i].value);
    }
    free(dict->slots);
    dict->slots = NULL;
    dict->cap = dict->n = 0;
}
