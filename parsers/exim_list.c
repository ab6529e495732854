/* exim_list - Exim list iteration; see exim_list.h. */
#include "parsers/exim_list.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>

#include "auditor/foundation/strbuf.h"

void exim_list_init(struct exim_list *it, const char *value)
{
    const char *p = value ? value : "";
    while (isspace((unsigned char)*p))
        p++;
    it->sep = ':';
    /* "<" followed by a punctuation character changes the separator; Exim
     * looks at the first non-blank character of the whole list only. */
    if (p[0] == '<' && p[1] && ispunct((unsigned char)p[1])) {
        it->sep = p[1];
        p += 2;
    }
    it->p = p;
}

char *exim_list_next(struct exim_list *it)
{
    const char *p = it->p;
    while (isspace((unsigned char)*p))
        p++;
    if (!*p) {
        it->p = p;
        return NULL;
    }
    struct strbuf sb = STRBUF_INIT;
    for (;;) {
        if (!*p)
            break;
        if (*p == it->sep) {
            if (p[1] == it->sep) {
                /* a doubled separator is one literal separator character */
                strbuf_addc(&sb, it->sep);
                p += 2;
                continue;
            }
            p++;
            break;
        }
        strbuf_addc(&sb, *p++);
    }
    it->p = p;
    while (sb.len && isspace((unsigned char)sb.buf[sb.len - 1]))
        sb.buf[--sb.len] = '\0';
    return strbuf_detach(&sb);
}

bool exim_list_is_ip(const char *item, int *family)
{
    unsigned char buf[16];
    if (inet_pton(AF_INET, item, buf) == 1) {
        *family = 4;
        return true;
    }
    if (inet_pton(AF_INET6, item, buf) == 1) {
        *family = 6;
        return true;
    }
    return false;
}
