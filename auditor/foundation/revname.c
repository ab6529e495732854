/* revname - reverse-lookup names from address bytes; see revname.h. */
#include "auditor/foundation/revname.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "auditor/foundation/xalloc.h"

int revname_from_bytes(const unsigned char *addr, size_t len, char out[REVNAME_MAX])
{
    static const char hex[] = "0123456789abcdef";
    char *p = out;

    if (len == 4) {
        snprintf(out, REVNAME_MAX, "%u.%u.%u.%u.in-addr.arpa", addr[3], addr[2], addr[1], addr[0]);
        return 0;
    }
    if (len != 16)
        return -1;
    /* Least significant nibble first: the last byte's low nibble leads. */
    for (size_t i = 16; i-- > 0;) {
        *p++ = hex[addr[i] & 0x0f];
        *p++ = '.';
        *p++ = hex[addr[i] >> 4];
        *p++ = '.';
    }
    memcpy(p, "ip6.arpa", sizeof("ip6.arpa"));
    return 0;
}

int revname_from_string(const char *text, char out[REVNAME_MAX])
{
    unsigned char buf[16];

    if (!text)
        return -1;
    if (inet_pton(AF_INET, text, buf) == 1)
        return revname_from_bytes(buf, 4, out);
    if (inet_pton(AF_INET6, text, buf) == 1)
        return revname_from_bytes(buf, 16, out);
    return -1;
}

char *revname_of(const char *address)
{
    char name[REVNAME_MAX];
    if (!address || revname_from_string(address, name) != 0)
        return NULL;
    return xstrdup(name);
}
