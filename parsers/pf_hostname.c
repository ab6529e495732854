/* pf_hostname - Postfix host name syntax; see pf_hostname.h. */
#include "parsers/pf_hostname.h"

#include <ctype.h>
#include <string.h>

int pf_hostname_valid(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || len > 255)
        return 0;
    size_t label = 0;
    int non_numeric = 0;
    for (const char *cp = name; *cp; cp++) {
        unsigned char ch = (unsigned char)*cp;
        if (isalnum(ch) || ch == '_') {
            if (++label > 63)
                return 0;
            if (!isdigit(ch))
                non_numeric = 1;
        } else if (ch == '.') {
            if (label == 0 || cp[1] == '\0')
                return 0;
            label = 0;
        } else if (ch == '-') {
            non_numeric = 1;
            if (label == 0 || cp[1] == '.' || cp[1] == '\0')
                return 0;
            if (++label > 63)
                return 0;
        } else {
            return 0;
        }
    }
    return non_numeric;
}
