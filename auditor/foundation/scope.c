/* scope - address scope classes from the address bytes; see scope.h. */
#include "auditor/foundation/scope.h"

#include <arpa/inet.h>
#include <string.h>

/* Sorted by the enum's value so that the word for a value is words[value]. */
static const char *const scope_words[SCOPE_COUNT] = {
    "global", "private", "shared", "unique-local", "link-local", "loopback", "documentation", "reserved",
};

const char *scope_tostr(enum scope scope)
{
    if ((unsigned)scope >= SCOPE_COUNT)
        return "reserved";
    return scope_words[scope];
}

int scope_fromstr(const char *word)
{
    for (int i = 0; word && i < SCOPE_COUNT; i++)
        if (strcmp(word, scope_words[i]) == 0)
            return i;
    return -1;
}

/* A prefix of a special-purpose table: the first 'bits' bits of 'net'. */
struct scope_range {
    unsigned char net[16];
    unsigned bits;
    enum scope scope;
};

static bool scope_in_range(const unsigned char *addr, const struct scope_range *r)
{
    unsigned full = r->bits / 8, rest = r->bits % 8;
    if (memcmp(addr, r->net, full) != 0)
        return false;
    if (rest == 0)
        return true;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (addr[full] & mask) == (r->net[full] & mask);
}

/* IANA IPv4 special-purpose registry, the parts that matter for a mail
 * source; the first match wins, so more specific ranges come first. */
static const struct scope_range scope_v4_ranges[] = {
    { { 0 }, 8, SCOPE_RESERVED },               /* "this network", 0.0.0.0 */
    { { 10 }, 8, SCOPE_PRIVATE },
    { { 100, 64 }, 10, SCOPE_SHARED },
    { { 127 }, 8, SCOPE_LOOPBACK },
    { { 169, 254 }, 16, SCOPE_LINK_LOCAL },
    { { 172, 16 }, 12, SCOPE_PRIVATE },
    { { 192, 0, 0 }, 24, SCOPE_RESERVED },      /* IETF protocol assignments */
    { { 192, 0, 2 }, 24, SCOPE_DOCUMENTATION }, /* TEST-NET-1 */
    { { 192, 168 }, 16, SCOPE_PRIVATE },
    { { 198, 18 }, 15, SCOPE_RESERVED },        /* benchmarking */
    { { 198, 51, 100 }, 24, SCOPE_DOCUMENTATION }, /* TEST-NET-2 */
    { { 203, 0, 113 }, 24, SCOPE_DOCUMENTATION },  /* TEST-NET-3 */
    { { 224 }, 3, SCOPE_RESERVED },             /* multicast 224/4 and 240/4 */
};

static const struct scope_range scope_v6_ranges[] = {
    { { 0 }, 128, SCOPE_RESERVED },                                    /* :: */
    { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, 128, SCOPE_LOOPBACK }, /* ::1 */
    { { 0x20, 0x01, 0x0d, 0xb8 }, 32, SCOPE_DOCUMENTATION },           /* 2001:db8::/32 */
    { { 0x3f, 0xff }, 20, SCOPE_DOCUMENTATION },                       /* 3fff::/20 (RFC 9637) */
    { { 0x20 }, 3, SCOPE_GLOBAL },                                     /* 2000::/3 */
    { { 0xfc }, 7, SCOPE_UNIQUE_LOCAL },
    { { 0xfe, 0x80 }, 10, SCOPE_LINK_LOCAL },
};

enum scope scope_classify(int family, const unsigned char *addr)
{
    static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

    if (family == AF_INET6 && memcmp(addr, mapped, sizeof(mapped)) == 0) {
        family = AF_INET;
        addr += 12;
    }
    if (family == AF_INET) {
        for (size_t i = 0; i < sizeof(scope_v4_ranges) / sizeof(scope_v4_ranges[0]); i++)
            if (scope_in_range(addr, &scope_v4_ranges[i]))
                return scope_v4_ranges[i].scope;
        return SCOPE_GLOBAL;
    }
    for (size_t i = 0; i < sizeof(scope_v6_ranges) / sizeof(scope_v6_ranges[0]); i++)
        if (scope_in_range(addr, &scope_v6_ranges[i]))
            return scope_v6_ranges[i].scope;
    /* Everything outside 2000::/3 that is not listed above (multicast ff00::/8,
     * site-local fec0::/10, the IPv4-compatible and NAT64 forms) is not a
     * public unicast source. */
    return SCOPE_RESERVED;
}

int scope_classify_str(const char *text, enum scope *scope)
{
    unsigned char buf[16];

    if (text && inet_pton(AF_INET, text, buf) == 1)
        *scope = scope_classify(AF_INET, buf);
    else if (text && inet_pton(AF_INET6, text, buf) == 1)
        *scope = scope_classify(AF_INET6, buf);
    else
        return -1;
    return 0;
}

enum scope scope_of(const char *address)
{
    enum scope scope;
    if (scope_classify_str(address, &scope) != 0)
        return SCOPE_GLOBAL;
    return scope;
}

bool scope_public(enum scope scope)
{
    return scope == SCOPE_GLOBAL || scope == SCOPE_DOCUMENTATION;
}
