/* ptrname - reverse-DNS owner names; see ptrname.h. The name itself is
 * built by probes/revname (from inet_pton bytes); this is the allocating
 * form the checks and fixes use. */
#include "auditor/ptrname.h"

#include "auditor/xalloc.h"
#include "probes/revname.h"

char *ptrname_from_address(const char *address)
{
    char name[REVNAME_MAX];
    if (!address || revname_from_string(address, name) != 0)
        return NULL;
    return xstrdup(name);
}
