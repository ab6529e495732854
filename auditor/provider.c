/* provider - the reverse-zone owners and how their customers set a PTR; see
 * provider.h. Every row cites its source; fields marked unverified were not
 * confirmed there. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "auditor/provider.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "auditor/foundation/hostname.h"
#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"

/* Sorted by key. */
static const struct provider provider_rows[] = {
    { "aws", "Amazon Web Services (EC2)",
      NULL, false, NULL, false, "aws-ec2-default",
      "EC2 console: Elastic IPs, select {ip}, Actions, Update reverse DNS", true,
      "aws ec2 modify-address-attribute --allocation-id EIPALLOC-ID --domain-name {name}", false,
      "Elastic IPv4 addresses only (no custom IPv6 PTR; unverified)", true, NULL,
      "only an Elastic IP gets a custom PTR; the response's PtrRecordUpdate status shows pending, succeeded or "
      "failed; port 25 stays limited until the 'remove email sending limitations' request is granted",
      "AWS CLI reference modify-address-attribute; AWS knowledge center (forward record first)" },
    { "azure", "Microsoft Azure",
      "(?:^|\\.)azuredns-cloud\\.net$|^ns[0-9]+\\.msft\\.net$", false, "^msnhst\\.microsoft\\.com$", false,
      "azure-default",
      NULL, false,
      "az network public-ip update --resource-group RESOURCE-GROUP --name PUBLIC-IP-NAME --reverse-fqdn {name}.",
      true, "unverified", true, NULL,
      "set on the Public IP's reverseFqdn property; the name must resolve to the address (or to a name in the "
      "same subscription) when it is set, and is never checked again",
      "observed reverse SOA 'prd1.azuredns-cloud.net. msnhst.microsoft.com.' and 'ns1.msft.net.'; Microsoft "
      "Learn 'Configure reverse DNS for services hosted in Azure'" },
    { "contabo", "Contabo",
      "(?:^|\\.)contabo\\.net$", true, NULL, false, "contabo-default",
      "Customer Control Panel: Reverse DNS Management, {ip}", true,
      NULL, false,
      "unverified", false, NULL,
      "there is no API or CLI for reverse DNS (terraform-provider-contabo #41, cntb #53)",
      "public Received headers (default vmi...contaboserver.net); cntb #53; terraform-provider-contabo #41" },
    { "digitalocean", "DigitalOcean",
      "(?:^|\\.)digitalocean\\.com$", true, NULL, false, NULL,
      "control panel: rename the Droplet to {name} (click its name); the PTR follows the Droplet name", false,
      "doctl compute droplet-action rename DROPLET-ID --droplet-name {name}", false,
      "only the Droplet's first IPv6 address", false, NULL,
      "there is no separate reverse DNS field: the Droplet name, when it is a fully qualified name, is the PTR",
      "DigitalOcean glossary 'PTR Record'; doctl reference droplet-action rename" },
    { "gcp", "Google Cloud",
      "^ns-gce-public[0-9]*\\.googledomains\\.com$", true, NULL, false, "gcp-default",
      NULL, false,
      "gcloud compute instances update-access-config INSTANCE --zone ZONE --public-ptr --public-ptr-domain={name}.",
      true, "yes, on a dual-stack subnet; IPv4 and IPv6 PTRs are set separately", false, NULL,
      "primary network interface only; not for load balancers or Cloud NAT",
      "Google Cloud 'Create a PTR record for a VM'" },
    { "hetzner", "Hetzner",
      "(?:^|\\.)your-server\\.de$|(?:^|\\.)second-ns\\.(?:com|de)$", true, "(?:^|\\.)your-server\\.de$", true,
      "hetzner-your-server",
      "Cloud Console: the server, Networking, edit reverse DNS of {ip} (dedicated servers: Robot)", true,
      "hcloud server set-rdns --ip {ip} --hostname {name} SERVER", false,
      "yes, per address inside the server's /64", false, NULL,
      "primary and floating IPs: hcloud primary-ip set-rdns, hcloud floating-ip set-rdns; a reset restores "
      "static...clients.your-server.de",
      "hcloud CLI reference set-rdns; community.hrobot.reverse_dns module notes; forwardemail "
      "is-generic-reverse-hostname test (default names)" },
    { "ionos", "IONOS Cloud",
      NULL, false, NULL, false, NULL,
      NULL, false,
      "curl -X POST https://dns.de-fra.ionos.com/reverserecords -H 'Authorization: Bearer TOKEN' "
      "-H 'Content-Type: application/json' -d '{\"name\": \"{name}\", \"ip\": \"{ip}\"}'", false,
      "yes, inside the data center's /56", true, NULL,
      "IPv4 must be a reserved IP",
      "IONOS Cloud DNS API reverserecords; ionosctl PR #448" },
    { "linode", "Akamai (Linode)",
      "^ns[0-9]+\\.linode\\.com$", true, NULL, false, "linode-default",
      "Cloud Manager: the Linode, Network, {ip}, Edit RDNS", true,
      "linode-cli networking ip-update {ip} --rdns {name}", false,
      "yes", true, NULL,
      "setting it to null restores ...ip.linodeusercontent.com",
      "Akamai (Linode) API documentation, networking ip-update; forwardemail is-generic-reverse-hostname test" },
    { "oracle", "Oracle Cloud (OCI)",
      NULL, false, NULL, false, NULL,
      "open a service request with {ip}, the name {name} and the forward record's name; Oracle creates the PTR",
      false, NULL, false,
      "yes (A or AAAA accepted)", true, NULL,
      "one PTR per address; the forward record must exist and match first",
      "OCI documentation 'Reverse DNS (PTR)'" },
    { "ovh", "OVHcloud",
      "(?:^|\\.)ovh\\.net$", true, NULL, false, "ovh-default",
      "control panel: Network, IP, the ... menu of {ip}, Modify reverse", true,
      "OVHcloud API: POST /ip/{ip}/reverse with {\"ipReverse\": \"{ip}\", \"reverse\": \"{name}.\"} (the block "
      "as {ip}/32, IPv6 as /128)", false,
      "yes (use the /128 block)", true, "2 to 3 minutes",
      "refused with 'does not resolve to' until the forward record exists",
      "terraform-provider-ovh PR #54; ansible-ovh-dns #20; public Received headers (default ip-A-B-C.eu)" },
    { "scaleway", "Scaleway",
      "(?:^|\\.)online\\.net$", true, NULL, false, "scaleway-default",
      NULL, false,
      "scw instance ip update {ip} reverse={name}", true,
      "yes, through IPAM (routed IPv6)", true, NULL,
      "the API refuses a reverse that does not resolve to the address",
      "scaleway-k8s-node-coffee #10; Scaleway API 'reverse' field; public Received headers" },
    { "vultr", "Vultr",
      "^ns[0-9]+\\.vultr\\.com$", true, NULL, false, "vultr-default",
      "customer portal: the instance, Settings, IPv{v}, reverse DNS of {ip}", true,
      "vultr-cli instance reverse-dns set-ipv{v} INSTANCE-ID {ip} -e {name}", false,
      "yes", false, "6 to 12 hours",
      NULL,
      "Vultr CLI documentation reverse-dns; Vultr Terraform documentation (6-12 h)" },
};

#define PROVIDER_N (sizeof(provider_rows) / sizeof(provider_rows[0]))

static pcre2_code *provider_server_re[PROVIDER_N];
static pcre2_code *provider_rname_re[PROVIDER_N];
static bool provider_ready;

const struct provider *provider_table(size_t *n)
{
    *n = PROVIDER_N;
    return provider_rows;
}

const struct provider *provider_by_key(const char *key)
{
    for (size_t i = 0; key && i < PROVIDER_N; i++)
        if (strcmp(provider_rows[i].key, key) == 0)
            return &provider_rows[i];
    return NULL;
}

static pcre2_code *provider_compile(const char *pattern)
{
    int err;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_CASELESS, &err, &off, NULL);
    if (!re) {
        /* The patterns are constants: a compile error is a bug in this file. */
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(err, msg, sizeof(msg));
        fprintf(stderr, "mta-preflight: bad built-in pattern '%s' at %zu: %s\n", pattern, (size_t)off, (char *)msg);
        abort();
    }
    return re;
}

static void provider_init(void)
{
    if (provider_ready)
        return;
    for (size_t i = 0; i < PROVIDER_N; i++) {
        if (provider_rows[i].server_pattern)
            provider_server_re[i] = provider_compile(provider_rows[i].server_pattern);
        if (provider_rows[i].rname_pattern)
            provider_rname_re[i] = provider_compile(provider_rows[i].rname_pattern);
    }
    provider_ready = true;
}

static bool provider_re_match(pcre2_code *re, const char *s)
{
    if (!re)
        return false;
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    int rc = pcre2_match(re, (PCRE2_SPTR)s, strlen(s), 0, 0, md, NULL);
    pcre2_match_data_free(md);
    return rc >= 0;
}

static const struct provider *provider_match_with(pcre2_code **res, const char *name, bool rname, bool *verified)
{
    if (verified)
        *verified = false;
    if (!name || !*name)
        return NULL;
    provider_init();
    char *s = hostname_normal(name);
    const struct provider *hit = NULL;
    for (size_t i = 0; i < PROVIDER_N && !hit; i++)
        if (provider_re_match(res[i], s)) {
            hit = &provider_rows[i];
            if (verified)
                *verified = !(rname ? hit->rname_unverified : hit->server_unverified);
        }
    free(s);
    return hit;
}

const struct provider *provider_by_server(const char *name, bool *verified)
{
    return provider_match_with(provider_server_re, name, false, verified);
}

const struct provider *provider_by_rname(const char *rname, bool *verified)
{
    return provider_match_with(provider_rname_re, rname, true, verified);
}

const struct provider *provider_by_ptr_rule(const char *rule)
{
    for (size_t i = 0; rule && i < PROVIDER_N; i++)
        if (provider_rows[i].ptr_rule && strcmp(provider_rows[i].ptr_rule, rule) == 0)
            return &provider_rows[i];
    return NULL;
}

/* Keep the first verified match; else the first match. */
static void provider_take(struct provider_match *m, const struct provider *p, bool verified,
                          enum provider_evidence e, const char *subject)
{
    if (!p || (m->provider && (m->verified || !verified)))
        return;
    m->provider = p;
    m->verified = verified;
    m->evidence = e;
    m->subject = subject;
}

struct provider_match provider_detect(const char *mname, const char *rname, const char *const *ns, size_t nns,
                                      const char *const *ptr_rules, size_t nrules)
{
    struct provider_match m = { NULL, PROVIDER_BY_NONE, NULL, false };
    bool v;
    const struct provider *p = provider_by_server(mname, &v);
    provider_take(&m, p, v, PROVIDER_BY_SOA_MNAME, mname);
    p = provider_by_rname(rname, &v);
    provider_take(&m, p, v, PROVIDER_BY_SOA_RNAME, rname);
    for (size_t i = 0; i < nns; i++) {
        p = provider_by_server(ns[i], &v);
        provider_take(&m, p, v, PROVIDER_BY_NS, ns[i]);
    }
    /* A default PTR name is the provider's own pattern: verified by the
     * generic-rule sources. */
    for (size_t i = 0; i < nrules; i++)
        provider_take(&m, provider_by_ptr_rule(ptr_rules[i]), true, PROVIDER_BY_PTR, ptr_rules[i]);
    return m;
}

char *provider_fill(const char *template, const char *ip, const char *name)
{
    if (!template)
        return NULL;
    int af = ip ? hostname_address_family(ip) : 0;
    bool name_ok = name && hostname_valid(name) && hostname_is_fqdn(name) && !hostname_is_local(name);
    struct strbuf sb = STRBUF_INIT;
    for (const char *p = template; *p;) {
        if (strncmp(p, "{ip}", 4) == 0) {
            if (!af)
                goto fail;
            strbuf_adds(&sb, ip);
            p += 4;
        } else if (strncmp(p, "{name}", 6) == 0) {
            if (!name_ok)
                goto fail;
            char *plain = hostname_normal(name);
            strbuf_adds(&sb, plain);
            free(plain);
            p += 6;
        } else if (strncmp(p, "{v}", 3) == 0) {
            if (!af)
                goto fail;
            strbuf_adds(&sb, af == AF_INET6 ? "6" : "4");
            p += 3;
        } else {
            strbuf_addc(&sb, *p++);
        }
    }
    return strbuf_detach(&sb);
fail:
    strbuf_release(&sb);
    return NULL;
}

const char *provider_evidence_tostr(enum provider_evidence e)
{
    switch (e) {
    case PROVIDER_BY_SOA_MNAME:
        return "soa-mname";
    case PROVIDER_BY_SOA_RNAME:
        return "soa-rname";
    case PROVIDER_BY_NS:
        return "ns";
    case PROVIDER_BY_PTR:
        return "ptr-default";
    case PROVIDER_BY_NONE:
        break;
    }
    return NULL;
}

char *provider_rname_mailbox(const char *rname)
{
    if (!rname)
        return NULL;
    const char *dot = strchr(rname, '.');
    if (!dot || dot == rname || !hostname_valid(dot + 1) || !hostname_is_fqdn(dot + 1))
        return NULL;
    for (const char *p = rname; p < dot; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-'
              || *p == '_'))
            return NULL;
    char *local = xstrndup(rname, (size_t)(dot - rname));
    char *out = xasprintf("%s@%s", local, dot + 1);
    free(local);
    return out;
}

void provider_cleanup(void)
{
    for (size_t i = 0; i < PROVIDER_N; i++) {
        pcre2_code_free(provider_server_re[i]);
        pcre2_code_free(provider_rname_re[i]);
        provider_server_re[i] = provider_rname_re[i] = NULL;
    }
    provider_ready = false;
}
