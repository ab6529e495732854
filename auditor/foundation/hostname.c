/* hostname - host name, literal and address validation; see hostname.h. */
#include "auditor/foundation/hostname.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <strings.h>

#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/term.h"
#include "auditor/foundation/xalloc.h"

static bool hostname_is_alnum(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool hostname_valid(const char *name)
{
    if (!name || !*name)
        return false;
    size_t len = strlen(name);
    if (name[len - 1] == '.')
        len--;
    if (len == 0 || len > 253)
        return false;
    size_t label = 0;
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        if (c == '.') {
            if (label == 0 || name[i - 1] == '-')
                return false;
            label = 0;
            continue;
        }
        if (c == '-') {
            if (label == 0)
                return false;
        } else if (!hostname_is_alnum((unsigned char)c)) {
            return false;
        }
        if (++label > 63)
            return false;
    }
    return label > 0 && name[len - 1] != '-';
}

bool hostname_is_fqdn(const char *name)
{
    if (!hostname_valid(name))
        return false;
    size_t len = strlen(name);
    if (name[len - 1] == '.')
        len--;
    const char *dot = NULL;
    for (size_t i = 0; i < len; i++)
        if (name[i] == '.')
            dot = name + i;
    if (!dot)
        return false;
    for (const char *p = dot + 1; p < name + len; p++)
        if (*p < '0' || *p > '9')
            return true;
    return false;
}

/* hostname_has_suffix - name (trailing dot ignored) equals suffix or ends
 * with "." suffix, case-insensitively. */
static bool hostname_has_suffix(const char *name, const char *suffix)
{
    size_t len = strlen(name);
    if (len && name[len - 1] == '.')
        len--;
    size_t slen = strlen(suffix);
    if (len == slen)
        return strncasecmp(name, suffix, slen) == 0;
    if (len > slen && name[len - slen - 1] == '.')
        return strncasecmp(name + len - slen, suffix, slen) == 0;
    return false;
}

bool hostname_is_local(const char *name)
{
    /* Suffixes that are not delegated in the public DNS and that receivers
     * (rspamd's checks_hello) treat as a private HELO. */
    static const char *const local[] = { "localhost", "local", "localdomain", "lan", "home", "home.arpa",
                                         "intra", "internal", "corp", "priv" };
    if (!name)
        return false;
    for (size_t i = 0; i < sizeof(local) / sizeof(local[0]); i++)
        if (hostname_has_suffix(name, local[i]))
            return true;
    return false;
}

bool hostname_equal(const char *a, const char *b)
{
    if (!a || !b)
        return false;
    size_t la = strlen(a), lb = strlen(b);
    if (la && a[la - 1] == '.')
        la--;
    if (lb && b[lb - 1] == '.')
        lb--;
    return la == lb && strncasecmp(a, b, la) == 0;
}

int hostname_address_family(const char *s)
{
    unsigned char buf[sizeof(struct in6_addr)];
    if (!s)
        return 0;
    if (inet_pton(AF_INET, s, buf) == 1)
        return AF_INET;
    if (inet_pton(AF_INET6, s, buf) == 1)
        return AF_INET6;
    return 0;
}

bool hostname_address_equal(const char *a, const char *b)
{
    unsigned char ba[sizeof(struct in6_addr)], bb[sizeof(struct in6_addr)];
    int fa = hostname_address_family(a);
    if (!fa || fa != hostname_address_family(b))
        return false;
    inet_pton(fa, a, ba);
    inet_pton(fa, b, bb);
    return memcmp(ba, bb, fa == AF_INET ? 4 : 16) == 0;
}

int hostname_literal_parse(const char *name, char *out, size_t outlen)
{
    if (!name || name[0] != '[')
        return 0;
    size_t len = strlen(name);
    if (len < 3 || name[len - 1] != ']')
        return -1;
    const char *start = name + 1;
    size_t n = len - 2;
    int want = AF_INET;
    if (n > 5 && strncasecmp(start, "IPv6:", 5) == 0) {
        start += 5;
        n -= 5;
        want = AF_INET6;
    }
    if (n >= outlen || n >= 46)
        return -1;
    char addr[46];
    memcpy(addr, start, n);
    addr[n] = '\0';
    if (hostname_address_family(addr) != want)
        return -1;
    memcpy(out, addr, n + 1);
    return 1;
}

char *hostname_escape(const char *s)
{
    if (!s)
        return xstrdup("(none)");
    struct strbuf sb = STRBUF_INIT;
    term_escape_ascii(&sb, s);
    return strbuf_detach(&sb);
}

char *hostname_normal(const char *name)
{
    char *s = xstrdup(name);
    size_t len = strlen(s);
    if (len > 1 && s[len - 1] == '.')
        s[len - 1] = '\0';
    for (char *p = s; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return s;
}
