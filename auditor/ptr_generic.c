/* ptr_generic - generic and dynamic PTR name rules; see ptr_generic.h. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "auditor/ptr_generic.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/hostname.h"
#include "auditor/foundation/xalloc.h"

#define PG_PROVIDER "Cloudmark generic/default pattern; Sender Score rDNS policy (name under the provider's domain)"

/* The rules, tried in this order. Provider defaults come first so that the
 * finding names the most specific reason. */
static const struct ptr_generic_rule ptr_generic_table[] = {
    { "aws-ec2-default", "^ec2-\\d{1,3}-\\d{1,3}-\\d{1,3}-\\d{1,3}\\.(?:[a-z0-9-]+\\.)?compute(?:-1)?\\.amazonaws\\.com$",
      PG_PROVIDER, "the Amazon EC2 default name", false },
    { "gcp-default", "\\.googleusercontent\\.com$", PG_PROVIDER, "the Google Cloud default name", false },
    { "azure-default", "\\.cloudapp\\.(?:net|azure\\.com)$", PG_PROVIDER, "the Azure default name", false },
    { "linode-default", "(?:^li\\d+-\\d+\\.members\\.linode\\.com$|\\.ip\\.linodeusercontent\\.com$)",
      PG_PROVIDER, "the Linode default name", false },
    { "ovh-default", "(?:(?:^|\\.)ip-\\d{1,3}-\\d{1,3}-\\d{1,3}\\.(?:eu|net|us)$|\\.vps\\.ovh\\.(?:net|ca|us)$)",
      PG_PROVIDER, "the OVH default name", false },
    { "hetzner-your-server", "(?:^|[.-])your-server\\.de$", PG_PROVIDER,
      "the Hetzner default name (your-server.de)", false },
    { "contabo-default", "\\.contaboserver\\.net$", PG_PROVIDER, "the Contabo default name", false },
    { "vultr-default", "\\.vultrusercontent\\.com$", PG_PROVIDER, "the Vultr default name", false },
    { "scaleway-default", "\\.instances\\.scw\\.cloud$", PG_PROVIDER, "the Scaleway default name", false },
    { "static-ip-default", "^static[.-](?:ip[.-])?\\d{1,3}[.-]\\d{1,3}[.-]\\d{1,3}[.-]\\d{1,3}(?:[.-]|$)",
      PG_PROVIDER " (SpamAssassin exempts static names; Cloudmark does not)",
      "a hosting provider's static.IP default", false },
    { "placeholder", "(?:^|[.-])(?:hosted-by|unassigned|not-?set|no-?reverse|reverse-not-set|unknown|unused|generic)(?:[.-]|\\d|$)",
      "Cloudmark generic/default pattern (\"hosted-by.example.com\")", "a placeholder name", false },
    { "bare-apex", NULL, "Cloudmark generic/default pattern (apex domain); MXToolbox SMTP Valid Hostname",
      "a bare domain, not a host name", false },
    { "single-label", NULL, "Cloudmark generic/default pattern; rspamd HFILTER_HOSTNAME (no dot)",
      "a single label, not a fully qualified name", false },
    { "ip-dotted", "(?:^|[^0-9])\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}(?:[^0-9]|$)",
      "SpamAssassin RDNS_DYNAMIC (__RDNS_DYNAMIC_IPADDR); Haraka fcrdns generic rDNS",
      "an IP address embedded in the name (dotted)", true },
    { "ip-dashed", "(?:^|[^0-9])\\d{1,3}[-_]\\d{1,3}[-_]\\d{1,3}[-_]\\d{1,3}(?:[^0-9]|$)",
      "SpamAssassin RDNS_DYNAMIC (__RDNS_DYNAMIC_IPADDR); Haraka fcrdns generic rDNS",
      "an IP address embedded in the name (dashed)", true },
    { "ip-split", "^\\d{1,3}\\.[a-z]+[-.]\\d{1,3}[-.]\\d{1,3}[-.]\\d{1,3}\\.",
      "SpamAssassin RDNS_DYNAMIC (__RDNS_DYNAMIC_SPLIT_IP)", "an IP address split across labels", true },
    { "ip-hex", "(?:^|[^0-9a-z])0x[0-9a-f]{8}(?:[^0-9a-f]|$)",
      "SpamAssassin RDNS_DYNAMIC (__RDNS_DYNAMIC_HEXIP); Haraka is_ip_in_str (hex)",
      "the IP address in hex", true },
    { "ip-hex-address", NULL, "SpamAssassin RDNS_DYNAMIC (__RDNS_DYNAMIC_HEXIP); Haraka is_ip_in_str (hex)",
      "the source address in hex", true },
    { "ip-octets", NULL, "Haraka fcrdns is_ip_in_str (3rd and 4th octets in the host part)",
      "the last two octets of the source address", true },
    { "ip6-address", NULL, "rspamd HFILTER_HOSTNAME (address in the name); SpamAssassin RDNS_DYNAMIC",
      "the source IPv6 address embedded in the name", true },
    { "ip6-dashed", "(?:^|[^0-9a-z])(?:[0-9a-f]{1,4}-){4,}[0-9a-f]{1,4}(?:[^0-9a-z]|$)",
      "rspamd HFILTER_HOSTNAME (address in the name); SpamAssassin RDNS_DYNAMIC",
      "an IPv6 address embedded in the name", true },
    { "access-word",
      "(?:^|[^a-z])(?:a?dsl|vdsl|xdsl|cable|cablemodem|kabel|catv|docsis|cpe|cm|dhcp|dyn|dynamic|dynip|dial|dialup|dial-up|modem|isdn|ppp|pppoe|pptp|gprs|cdma|umts|lte|homeuser|broadband|broad|bredband|wifi|wireless|fbx|fibertel|resnet)(?:[^a-z]|$)",
      "SpamAssassin RDNS_DYNAMIC (__RDNS_DYNAMIC_DHCP, __RDNS_INDICATOR); rspamd HFILTER_HOSTNAME_5/4/3",
      "an access-technology word (dsl, cable, dhcp, dyn, ppp...)", true },
    { "pool-word", "(?:^|[^a-z])(?:pool|pools|client\\d{2,}|clients?|customers?|cust|subscriber|nat|in-addr|unused-addr)(?:[^a-z]|$)",
      "rspamd HFILTER_HOSTNAME_4/1 (pool, client, customer); SpamAssassin __RDNS_INDICATOR (client)",
      "an address-pool word (pool, client, customer...)", true },
    { "vps-default", "(?:^|[^a-z])(?:kvm|vz|xen|ovz)?vps(?:[^a-z]|$)", PG_PROVIDER,
      "a VPS provider's default name", true },
    { "numbered-host", "^(?:vmi?|srv|server|host|node|ns|ip|dedi|dedicated|cloud|instance|vds|static)-?\\d{3,}\\.",
      PG_PROVIDER, "a provider's numbered default host name", true },
};

#define PG_NRULES (sizeof(ptr_generic_table) / sizeof(ptr_generic_table[0]))

static pcre2_code *ptr_generic_code[PG_NRULES];
static pcre2_code *ptr_generic_exempt_code;

static const char ptr_generic_exempt_pattern[] = "(?:^|[^a-z])(?:mail|mx|smtp|mta|static)";

const struct ptr_generic_rule *ptr_generic_rules(size_t *n)
{
    *n = PG_NRULES;
    return ptr_generic_table;
}

static pcre2_code *ptr_generic_compile(const char *pattern)
{
    int err;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
    if (!re) {
        /* The patterns are constants: a compile error is a bug in this file. */
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(err, msg, sizeof(msg));
        fprintf(stderr, "mta-preflight: bad built-in pattern '%s' at %zu: %s\n", pattern, (size_t)off,
                (char *)msg);
        abort();
    }
    return re;
}

static bool ptr_generic_re_match(pcre2_code *re, const char *s)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    int rc = pcre2_match(re, (PCRE2_SPTR)s, strlen(s), 0, 0, md, NULL);
    pcre2_match_data_free(md);
    return rc >= 0;
}

static size_t ptr_generic_labels(const char *s, const char **label2)
{
    size_t n = 1;
    *label2 = NULL;
    for (const char *p = s; *p; p++)
        if (*p == '.') {
            n++;
            if (n == 2)
                *label2 = p + 1;
        }
    return n;
}

static bool ptr_generic_is_apex(const char *s)
{
    static const char *const sld[] = { "ac", "co", "com", "edu", "go", "gob", "gov", "gv", "ltd",
                                       "mil", "ne", "net", "nic", "or", "org", "plc", "sch" };
    const char *second;
    size_t n = ptr_generic_labels(s, &second);
    if (n == 2)
        return true;
    if (n != 3)
        return false;
    const char *dot = strchr(second, '.');
    size_t mlen = (size_t)(dot - second);
    if (strlen(dot + 1) != 2)
        return false;
    for (size_t i = 0; i < sizeof(sld) / sizeof(sld[0]); i++)
        if (strlen(sld[i]) == mlen && strncmp(second, sld[i], mlen) == 0)
            return true;
    return false;
}

/* ptr_generic_has_token - needle occurs in hay with no digit on either side,
 * so "45-10" is not found in "145-101" but is in "m45-10". */
static bool ptr_generic_has_token(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) {
        bool before = p == hay || !(p[-1] >= '0' && p[-1] <= '9');
        char c = p[n];
        bool after = !(c >= '0' && c <= '9');
        if (before && after)
            return true;
    }
    return false;
}

/* ptr_generic_has_ip6 - the name embeds the IPv6 address: its 32 hex
 * digits, or its compressed text form with ':' written as '-' or '.'
 * ("2001-db8--10"), bounded by non-hex characters. */
static bool ptr_generic_has_ip6(const char *s, const char *address)
{
    unsigned char b[16];
    if (!address || inet_pton(AF_INET6, address, b) != 1)
        return false;
    char hex[33];
    for (int i = 0; i < 16; i++)
        snprintf(hex + 2 * i, 3, "%02x", b[i]);
    if (strstr(s, hex))
        return true;
    char text[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, b, text, sizeof(text));
    for (int sep = 0; sep < 2; sep++) {
        char form[INET6_ADDRSTRLEN];
        for (size_t i = 0; i <= strlen(text); i++)
            form[i] = text[i] == ':' ? (sep ? '.' : '-') : text[i];
        size_t n = strlen(form);
        for (const char *p = strstr(s, form); p; p = strstr(p + 1, form)) {
            bool before = p == s || !isxdigit((unsigned char)p[-1]);
            bool after = !isxdigit((unsigned char)p[n]);
            if (before && after)
                return true;
        }
    }
    return false;
}

static bool ptr_generic_code_rule(const char *rule, const char *s, const char *address)
{
    if (strcmp(rule, "bare-apex") == 0)
        return strchr(s, '.') && ptr_generic_is_apex(s);
    if (strcmp(rule, "single-label") == 0)
        return !strchr(s, '.');
    if (strcmp(rule, "ip6-address") == 0)
        return ptr_generic_has_ip6(s, address);
    unsigned char b[4];
    if (!address || inet_pton(AF_INET, address, b) != 1)
        return false;
    if (strcmp(rule, "ip-hex-address") == 0) {
        char hex[9];
        snprintf(hex, sizeof(hex), "%02x%02x%02x%02x", b[0], b[1], b[2], b[3]);
        return strstr(s, hex) != NULL;
    }
    if (strcmp(rule, "ip-octets") == 0) {
        /* Haraka looks at the host part only: drop the last two labels. */
        char *host = xstrdup(s);
        char *last = strrchr(host, '.');
        if (last) {
            *last = '\0';
            last = strrchr(host, '.');
            if (last)
                *last = '\0';
            else
                host[0] = '\0';
        } else {
            host[0] = '\0';
        }
        bool hit = false;
        const char seps[] = "-._";
        for (int i = 0; i < 3 && !hit; i++) {
            char a[16], r[16];
            snprintf(a, sizeof(a), "%u%c%u", b[2], seps[i], b[3]);
            snprintf(r, sizeof(r), "%u%c%u", b[3], seps[i], b[2]);
            hit = ptr_generic_has_token(host, a) || ptr_generic_has_token(host, r);
        }
        free(host);
        return hit;
    }
    return false;
}

static void ptr_generic_init(void)
{
    if (ptr_generic_exempt_code)
        return;
    ptr_generic_exempt_code = ptr_generic_compile(ptr_generic_exempt_pattern);
    for (size_t i = 0; i < PG_NRULES; i++)
        if (ptr_generic_table[i].pattern)
            ptr_generic_code[i] = ptr_generic_compile(ptr_generic_table[i].pattern);
}

bool ptr_generic_exempt(const char *name)
{
    if (!name)
        return false;
    ptr_generic_init();
    char *s = hostname_normal(name);
    bool hit = ptr_generic_re_match(ptr_generic_exempt_code, s);
    free(s);
    return hit;
}

static bool ptr_generic_matches_lower(size_t i, const char *s, const char *address)
{
    if (ptr_generic_table[i].pattern)
        return ptr_generic_re_match(ptr_generic_code[i], s);
    return ptr_generic_code_rule(ptr_generic_table[i].name, s, address);
}

bool ptr_generic_rule_matches(size_t i, const char *name, const char *address)
{
    if (i >= PG_NRULES || !name || !*name)
        return false;
    ptr_generic_init();
    char *s = hostname_normal(name);
    bool hit = ptr_generic_matches_lower(i, s, address);
    free(s);
    return hit;
}

const struct ptr_generic_rule *ptr_generic_check(const char *name, const char *address)
{
    if (!name || !*name)
        return NULL;
    ptr_generic_init();
    char *s = hostname_normal(name);
    bool exempt = ptr_generic_re_match(ptr_generic_exempt_code, s);
    const struct ptr_generic_rule *hit = NULL;
    for (size_t i = 0; i < PG_NRULES && !hit; i++) {
        if (exempt && ptr_generic_table[i].exemptible)
            continue;
        if (ptr_generic_matches_lower(i, s, address))
            hit = &ptr_generic_table[i];
    }
    free(s);
    return hit;
}

void ptr_generic_cleanup(void)
{
    for (size_t i = 0; i < PG_NRULES; i++) {
        pcre2_code_free(ptr_generic_code[i]);
        ptr_generic_code[i] = NULL;
    }
    pcre2_code_free(ptr_generic_exempt_code);
    ptr_generic_exempt_code = NULL;
}
