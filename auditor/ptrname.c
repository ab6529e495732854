/* ptrname - reverse-DNS owner names; see ptrname.h. */
#include "auditor/ptrname.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include "auditor/strbuf.h"

char *ptrname_from_address(const char *address)
{
    unsigned char b[sizeof(struct in6_addr)];
    struct strbuf sb = STRBUF_INIT;
    if (!address)
        return NULL;
    if (inet_pton(AF_INET, address, b) == 1) {
        strbuf_addf(&sb, "%u.%u.%u.%u.in-addr.arpa", b[3], b[2], b[1], b[0]);
        return strbuf_detach(&sb);
    }
    if (inet_pton(AF_INET6, address, b) == 1) {
        static const char hex[] = "0123456789abcdef";
        for (int i = 15; i >= 0; i--) {
            strbuf_addc(&sb, hex[b[i] & 0xf]);
            strbuf_addc(&sb, '.');
            strbuf_addc(&sb, hex[b[i] >> 4]);
            strbuf_addc(&sb, '.');
        }
        strbuf_adds(&sb, "ip6.arpa");
        return strbuf_detach(&sb);
    }
    return NULL;
}
