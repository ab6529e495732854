/* test_scenarios - the audit end to end with real components: for each
 * mail host of samples/scenarios/, a network namespace with its addresses
 * and routes, nsd serving its zones, and the built program run inside with
 * --format json on its real Postfix/Exim configuration. Each case asserts
 * the exact set of findings (severity, id, MTA:transport, family) and the
 * exit status.
 *
 * The closed loop: for a failing scenario, every fix the JSON printed is
 * applied to a copy (postconf commands run with the real postconf as
 * printed, -c pointing at the copy; provider PTRs replace the PTR, forward
 * records are added to the zones and nsd restarted; Exim lines go into the
 * named file; sysctl commands run in the namespace), and the audit run again
 * must pass. When the real Exim is unpacked (build/oracle), it reads the
 * fixed Exim configuration (Debian: what the real update-exim4.conf makes of
 * the fixed sources) and must show every value the fixes set. No file under
 * samples/ may change in any case.
 *
 * MP_SCENARIO_VERBOSE=1 prints each JSON report and every applied fix.
 * Needs root (namespaces); skipped with a message otherwise. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auditor/foundation/diag.h"
#include "auditor/foundation/model.h"
#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"
#include "parsers/exim_identity.h"
#include "tests/support/netns.h"
#include "tests/support/scenario.h"
#include "tests/support/suites.h"
#include "tests/support/tsupport.h"

#define MAXF 16

enum loop { NO_LOOP, LOOP };

struct sc_case {
    const char *name;        /* samples/scenarios/NAME */
    const char *args;        /* extra audit arguments */
    int rc;                  /* expected exit status */
    const char *expect[MAXF]; /* "SEVERITY ID MTA:TRANSPORT FAMILY" */
    enum loop loop;          /* applying the printed fixes must make it pass */
    const char *loop_only;   /* apply only fixes of these kinds (NULL: all) */
    const char *json_has[4]; /* substrings the JSON must contain ("!TEXT": must not) */
    long long max_ms;        /* bound on the run's wall time, or 0 */
    /* A known limitation: the first round of fixes leaves exactly these
     * findings (which the first audit could not judge yet), and a second
     * round must pass. Empty: one round must pass. */
    const char *between[MAXF];
};

/* Both Postfix transports of the stock master.cf (smtp and relay) share
 * main.cf's identity, so most Postfix findings come in pairs. */
#define PF(sev_id, fam) sev_id " postfix:smtp/unix " fam, sev_id " postfix:relay/unix " fam

static const struct sc_case cases[] = {
    /* Both families forward-confirmed, EHLO = PTR: nothing to report. */
    { "all-good", "", 0, { NULL }, NO_LOOP, NULL, { "\"status\":\"ok\"", "\"how\":\"route\"" }, 0, { NULL } },
    /* The hosting provider's default PTR: confirmed, but generic. */
    { "vps-default-ptr", "", 1,
      { PF("warning ptr-generic", "ipv4"), PF("warning helo-ptr-mismatch", "ipv4"),
        "warning banner-ptr-mismatch postfix:smtp/inet ipv4" },
      LOOP, NULL, { "rule vps-default", "IN PTR mail.example.com." }, 0, { NULL } },
    /* The owner recognised from each family of evidence: the reverse SOA's
     * primary server (Azure, no PTR), the zone's NS name (Azure again), and
     * the provider's default PTR name (AWS EC2). */
    { "provider-soa-mname", "", 2, { PF("critical ptr-missing", "ipv4") }, LOOP, NULL,
      { "\"provider\":\"azure\"", "\"provider_evidence\":\"soa-mname\"", "\"verified\":false",
        "\"forward_first\":true" }, 0, { NULL } },
    { "provider-ns-name", "", 2, { PF("critical ptr-missing", "ipv4") }, LOOP, NULL,
      { "\"provider\":\"azure\"", "\"provider_evidence\":\"ns\"", "the name server ns1.msft.net" }, 0,
      { NULL } },
    { "provider-default-ptr", "", 1,
      { PF("warning ptr-generic", "ipv4"), PF("warning helo-ptr-mismatch", "ipv4"),
        "warning banner-ptr-mismatch postfix:smtp/inet ipv4" }, LOOP, NULL,
      { "\"provider\":\"aws\"", "\"provider_evidence\":\"ptr-default\"",
        "aws ec2 modify-address-attribute --allocation-id EIPALLOC-ID --domain-name mail.example.com",
        "rule aws-ec2-default" }, 0, { NULL } },
    /* New address without PTR; the EHLO name still points at the old one. */
    { "migration-stale-ptr", "", 2,
      { PF("critical ptr-missing", "ipv4"), PF("warning helo-address-mismatch", "ipv4") }, LOOP, NULL,
      { "mail.example.com. IN A 198.51.100.20" }, 0, { NULL } },
    /* Three transports, three sources; out-b announces a name its PTR lacks. */
    { "shared-relay", "", 1, { "warning helo-ptr-mismatch postfix:out-b/unix ipv4" }, LOOP, NULL,
      { "-P 'out-b/unix/smtp_helo_name=relay-b.example.com'", "\"how\":\"bind\"" }, 0, { NULL } },
    /* IPv6 without PTR, tried first: every printed fix, then the stop-gap
     * alone (deliver over IPv4 only), then the PTR alone. */
    { "ipv6-no-ptr", "", 2, { PF("critical ipv6-without-ptr", "ipv6") }, LOOP, NULL,
      { "tries IPv6 first", "-P 'smtp/unix/inet_protocols=ipv4'", "-P 'relay/unix/inet_protocols=ipv4'" }, 0,
      { NULL } },
    { "ipv6-no-ptr", "", 2, { PF("critical ipv6-without-ptr", "ipv6") }, LOOP, "postconf", { NULL }, 0, { NULL } },
    { "ipv6-no-ptr", "", 2, { PF("critical ipv6-without-ptr", "ipv6") }, LOOP, "provider-ptr,dns-record",
      { NULL }, 0, { NULL } },
    /* The EHLO name is not in DNS; the PTR is a good name to announce. Both
     * transports take it from main.cf and need the same name: one main.cf
     * change (-e), no per-transport -P. */
    { "helo-unresolvable", "", 2,
      { PF("critical helo-unresolvable", "-"), PF("warning helo-ptr-mismatch", "ipv4"),
        "warning banner-ptr-mismatch postfix:smtp/inet ipv4" },
      LOOP, NULL,
      { "-e 'smtp_helo_name = host.example.net'", "from all 2 transports that take their EHLO name from main.cf",
        "!smtp_helo_name=" },
      0, { NULL } },
    /* Two PTR names: the provider keeps only the EHLO name. */
    { "several-ptrs", "", 1, { PF("warning ptr-multiple", "ipv4") }, LOOP, NULL, { "has 2 PTR names" }, 0, { NULL } },
    /* smtp_bind_address is not on the host: bind the right one, enforce it. */
    { "bind-not-local", "", 2, { PF("critical bind-not-local", "ipv4") }, LOOP, NULL,
      { "-e 'smtp_bind_address = 192.0.2.10'", "-e 'smtp_bind_address_enforce = yes'" }, 0, { NULL } },
    /* The kernel prefers a temporary IPv6 address; the sysctl fix ends that. */
    { "ipv6-temporary", "", 2, { PF("critical source-temporary", "ipv6") }, LOOP, NULL,
      { "\"temporary\":true", "use_tempaddr=0" }, 0, { NULL } },
    /* Behind NAT: unknown, until --source-ip names the public address. */
    { "nat-private", "", 3, { PF("unknown source-not-public", "ipv4"), "unknown source-not-public postfix:smtp/inet -" },
      NO_LOOP, NULL,
      { "--source-ip PUBLIC", "\"scope\":\"private\"" }, 0, { NULL } },
    { "nat-private", "--source-ip 203.0.113.25", 0, { NULL }, NO_LOOP, NULL,
      { "\"how\":\"given\"", "\"address\":\"203.0.113.25\"" }, 0, { NULL } },
    /* ... and it judges the given address: one without PTR fails. */
    { "nat-private", "--source-ip 203.0.113.26", 2,
      { PF("critical ptr-missing", "ipv4"), PF("warning helo-address-mismatch", "ipv4") }, NO_LOOP, NULL,
      { "\"address\":\"203.0.113.26\"" }, 0, { NULL } },
    /* Behind NAT the EHLO name is still looked up and judged. */
    { "nat-private", "--helo nothere.example.com", 2,
      { PF("unknown source-not-public", "ipv4"), PF("critical helo-unresolvable", "-"),
        "unknown source-not-public postfix:smtp/inet -" }, NO_LOOP, NULL,
      { "\"name\":\"nothere.example.com\"" }, 0, { NULL } },
    /* No route in either family: no mail can leave, which is not OK. */
    { "no-route", "", 2, { PF("critical no-route", "-") }, NO_LOOP, NULL,
      { "\"route\":false", "Network is unreachable" }, 0, { NULL } },
    /* A planned host without IPv6: today's IPv6 route stays out of the plan. */
    { "migration-ipv4-only", "--source-ip 198.51.100.20 --helo mail2.example.com --family ipv4", 2,
      { PF("critical ptr-missing", "ipv4") }, NO_LOOP, NULL,
      { "\"address\":\"198.51.100.20\"", "!\"address\":\"2001:db8::10\"" }, 0, { NULL } },
    { "migration-ipv4-only", "--source-ip 198.51.100.20 --helo mail2.example.com --family ipv4", 2,
      { PF("critical ptr-missing", "ipv4") }, LOOP, NULL, { NULL }, 0, { NULL } },
    /* Smarthost only: this host's own missing PTR is information. */
    { "smarthost", "", 0, { PF("info relay-host", "-"), PF("info ptr-missing", "ipv4") }, NO_LOOP, NULL,
      { "\"relay\":\"[smtp.provider.example]:587\"" }, 0, { NULL } },
    /* A resolver that never answers: unknown, and the run keeps its bound. */
    { "dns-timeout", "--timeout 2", 3,
      { PF("unknown dns-failure", "ipv4"), PF("unknown dns-failure", "-"), PF("unknown dns-failure", "-"),
        "unknown dns-failure postfix:smtp/inet ipv4" },
      NO_LOOP, NULL, { "\"status\":\"timeout\"", "timed out" }, 3000, { NULL } },
    /* The reverse zone answers SERVFAIL: unknown, neither pass nor fail. */
    { "dns-servfail", "", 3, { PF("unknown dns-failure", "ipv4"), "unknown dns-failure postfix:smtp/inet ipv4" },
      NO_LOOP, NULL,
      { "\"status\":\"servfail\"", "failed with SERVFAIL" }, 0, { NULL } },
    /* Before moving: the planned address and name, audited from today's host. */
    { "planned-migration", "--source-ip 198.51.100.20 --helo mail2.example.com", 2,
      { PF("critical ptr-missing", "ipv4") }, LOOP, NULL, { "IN PTR mail2.example.com." }, 0, { NULL } },
    /* Exim tries IPv6 first; every fix, then dns_ipv4_lookup = * alone. */
    { "exim-ipv6-first", "", 2, { "critical ipv6-without-ptr exim:remote_smtp ipv6" }, LOOP, NULL,
      { "Exim tries IPv6 first", "\"line\":\"dns_ipv4_lookup = *\"" }, 0, { NULL } },
    { "exim-ipv6-first", "", 2, { "critical ipv6-without-ptr exim:remote_smtp ipv6" }, LOOP, "exim-config",
      { NULL }, 0, { NULL } },
    /* Debian layout: the fixes are macros in exim4.conf.localmacros. */
    { "exim-debian", "", 2,
      { "critical ipv6-without-ptr exim:remote_smtp ipv6", "warning helo-ptr-mismatch exim:remote_smtp ipv4",
        "critical ipv6-without-ptr exim:remote_smtp_smarthost ipv6",
        "warning helo-ptr-mismatch exim:remote_smtp_smarthost ipv4" },
      LOOP, NULL, { "exim4.conf.localmacros\"", "\"line\":\"REMOTE_SMTP_HELO_DATA = mail.example.org\"" }, 0,
      { NULL } },
    { "exim-debian", "", 2,
      { "critical ipv6-without-ptr exim:remote_smtp ipv6", "warning helo-ptr-mismatch exim:remote_smtp ipv4",
        "critical ipv6-without-ptr exim:remote_smtp_smarthost ipv6",
        "warning helo-ptr-mismatch exim:remote_smtp_smarthost ipv4" },
      LOOP, "exim-config,dns-record", { NULL }, 0, { NULL } },
    /* Debian split layout: the macros go into conf.d/main/000_localmacros. */
    { "exim-debian-split", "", 2,
      { "critical ipv6-without-ptr exim:remote_smtp ipv6", "warning helo-ptr-mismatch exim:remote_smtp ipv4",
        "critical ipv6-without-ptr exim:remote_smtp_smarthost ipv6",
        "warning helo-ptr-mismatch exim:remote_smtp_smarthost ipv4" },
      LOOP, NULL, { "conf.d/main/000_localmacros\"", "\"line\":\"MAIN_HARDCODE_PRIMARY_HOSTNAME = mail.example.org\"" },
      0, { NULL } },
    /* PTRs that do not resolve back (stale A, no AAAA): add the records. */
    { "ptr-unconfirmed", "", 2,
      { PF("critical ptr-unconfirmed", "ipv4"), PF("critical ipv6-without-ptr", "ipv6"),
        PF("warning helo-address-mismatch", "ipv4"), PF("warning helo-address-mismatch", "ipv6") },
      LOOP, NULL,
      { "forward-confirmed reverse DNS fails", "mail.example.com. IN AAAA 2001:db8::10",
        "about half of the deliveries" },
      0, { NULL } },
    /* A master.cf Postfix refuses: config-error with file and line. */
    { "postfix-config-error", "", 2, { "critical config-error - -" }, NO_LOOP, NULL,
      { "master.cf:10: invalid process_limit field" }, 0, { NULL } },
    /* An EHLO name computed at delivery time: unknown until --helo names
     * it, or until the printed static helo_data replaces it. */
    { "exim-helo-dynamic", "", 3, { "unknown helo-dynamic exim:remote_smtp -" }, LOOP, NULL,
      { "\"dynamic\":true", "\"line\":\"helo_data = mail.example.org\"" }, 0, { NULL } },
    { "exim-helo-dynamic", "--helo mail.example.org", 0, { NULL }, NO_LOOP, NULL, { NULL }, 0, { NULL } },
    /* A policy rule sends mail for one network from another address: the
     * default route target sees the good source, --route-target the other. */
    { "policy-routing", "", 0, { NULL }, NO_LOOP, NULL, { "\"address\":\"192.0.2.10\"" }, 0, { NULL } },
    { "policy-routing", "--route-target 203.0.113.5", 2,
      { PF("critical ptr-missing", "ipv4"), PF("warning helo-address-mismatch", "ipv4") }, LOOP, NULL,
      { "\"address\":\"198.51.100.10\"" }, 0, { NULL } },
    /* No myhostname, short system name: Postfix announces mail.localdomain;
     * the forward-confirmed PTR name is known, so the fix names the host:
     * myhostname in main.cf (smtp_helo_name defaults to it). */
    { "short-hostname", "", 2, { PF("critical helo-invalid", "-"), "warning banner-invalid postfix:smtp/inet -" }, LOOP,
      NULL,
      { "\"name\":\"mail.localdomain\"", "-e 'myhostname = mail.example.com'", "!'smtp_helo_name" },
      0, { NULL } },
    /* Exim binds to an address the host lacks: every delivery fails. The
     * EHLO name cannot be judged until the bind is fixed (there is no source
     * to judge it against), so its own fix comes in a second round. */
    { "exim-bind-not-local", "", 2, { "critical bind-not-local exim:remote_smtp ipv4" }, LOOP, NULL,
      { "\"line\":\"interface = 192.0.2.10\"" }, 0,
      { "warning helo-address-mismatch exim:remote_smtp ipv4", "warning helo-ptr-mismatch exim:remote_smtp ipv4" } },
    /* Postfix and Exim on one host; the IPv6 PTR names another host. */
    { "both-mtas", "", 1,
      { PF("warning helo-ptr-mismatch", "ipv6"), "warning helo-ptr-mismatch exim:remote_smtp ipv6",
        "warning banner-ptr-mismatch exim:daemon ipv6" },
      LOOP, NULL,
      { "\"mta\":\"exim\"", "\"mta\":\"postfix\"" }, 0, { NULL } },
    /* Inbound: the banner equals the PTR of both MX addresses. */
    { "inbound-pass", "", 0, { NULL }, NO_LOOP, NULL,
      { "\"domain\":\"example.com\"", "\"this_host\":true", "\"hostname\":\"mail.example.com\"" }, 0, { NULL } },
    /* Debian's banner on a VPS whose provider PTR is generic: request the PTR. */
    { "inbound-generic-ptr", "", 1,
      { PF("warning ptr-generic", "ipv4"), PF("warning helo-ptr-mismatch", "ipv4"),
        "warning banner-ptr-mismatch postfix:smtp/inet ipv4" },
      LOOP, NULL, { "(Debian/GNU)", "IN PTR mail.example.com." }, 0, { NULL } },
    /* A banner whose host name is one label. */
    { "inbound-banner-short", "", 1, { "warning banner-invalid postfix:smtp/inet -" }, LOOP, NULL,
      { "-e 'smtpd_banner = mail.example.com ESMTP $mail_name'" }, 0, { NULL } },
    /* postscreen in front; the pass service has its own banner (-o), which
     * postconf -P cannot replace with a value with spaces: -PX, then -e. */
    { "inbound-postscreen", "", 1, { "warning banner-ptr-mismatch postfix:smtp/inet ipv4",
        "warning banner-ptr-mismatch postfix:smtp/inet ipv6" }, LOOP, NULL,
      { "-PX 'smtpd/pass/smtpd_banner'", "\"hostname\":\"old-mx.example.net\"" }, 0, { NULL } },
    /* The MX points at a filtering service: information only. */
    { "inbound-mx-elsewhere", "", 0, { "info mx-not-this-host postfix:example.com -" }, NO_LOOP, NULL,
      { "\"name\":\"mx.filter.example.com\"" }, 0, { NULL } },
    /* No MX for a local domain: publish one. */
    { "inbound-no-mx", "", 1, { "warning mx-missing postfix:example.com -" }, LOOP, NULL,
      { "example.com. IN MX 10 mail.example.com." }, 0, { NULL } },
    /* A null MX for a domain this host receives mail for. */
    { "inbound-null-mx", "", 1, { "warning mx-missing postfix:example.com -" }, LOOP, NULL,
      { "\"status\":\"null\"", "replace the null MX" }, 0, { NULL } },
    /* Exim with a custom smtp_banner naming another host. */
    { "inbound-exim-banner", "", 1,
      { "warning banner-ptr-mismatch exim:daemon ipv4", "warning banner-ptr-mismatch exim:daemon ipv6" }, LOOP, NULL,
      { "\"line\":\"smtp_banner = mail.example.com ESMTP ready\"" }, 0, { NULL } },
    /* A dual-stack MX whose IPv6 address has no PTR. */
    { "inbound-ipv6-no-ptr", "", 2,
      { PF("critical ipv6-without-ptr", "ipv6"), "warning inbound-ptr-missing postfix:smtp/inet ipv6" }, LOOP, NULL,
      { "an MX points at 2001:db8::10, which has no PTR" }, 0, { NULL } },
    /* The servers of one of the host's domains answer SERVFAIL: unknown. */
    { "inbound-dns-failure", "", 3, { "unknown dns-failure postfix:example.org -" }, NO_LOOP, NULL,
      { "the MX lookup of example.org failed with SERVFAIL", "whether an MX of example.org points at this host" },
      0, { NULL } },
    /* A load balancer in front (proxy_interfaces): its address is one this
     * host receives mail on, an MX points at it, and its PTR is judged. */
    { "inbound-proxy", "", 1, { "warning banner-ptr-mismatch postfix:smtp/inet ipv4" }, LOOP, NULL,
      { "\"this_host\":true", "the PTR of 198.51.100.25 is lb-25.balancer.example.net" }, 0, { NULL } },
    /* inet_interfaces = loopback-only: no inbound MX, nothing judged, not
     * even the domain without MX. */
    { "inbound-loopback-only", "", 0, { NULL }, NO_LOOP, NULL, { "!mx-missing", "!source-not-public" }, 0, { NULL } },
    /* postscreen's first line names the old host: new clients (scanners)
     * see it first. Removing the main.cf setting is the fix. */
    { "inbound-postscreen-teaser", "", 1,
      { "warning banner-ptr-mismatch postfix:smtp/inet ipv4", "warning banner-ptr-mismatch postfix:smtp/inet ipv6" },
      LOOP, NULL, { "-X postscreen_greet_banner", "postscreen's first line (postscreen_greet_banner)" }, 0, { NULL } },
    /* The MX points at a second address without PTR, in OVHcloud's reverse
     * zone: the fix names OVHcloud and its API call, the forward record
     * first (OVHcloud refuses a PTR whose name does not resolve); only the
     * listening address's zone (inbound[].reverse_zones) names a provider. */
    { "inbound-provider-ptr", "", 1, { "warning inbound-ptr-missing postfix:smtp/inet ipv4" }, LOOP, NULL,
      { "\"provider_evidence\":\"soa-mname\"", "POST /ip/198.51.100.25/reverse", "\"forward_first\":true",
        "first add the A record of mail.example.com" },
      0, { NULL } },
};

#define NCASES (int)(sizeof(cases) / sizeof(cases[0]))

static char *ns;

static void ns_setup(void)
{
    ns = netns_name("sc");
}

static void ns_teardown(void)
{
    netns_del(ns);
    free(ns);
}

static int sc_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The expected findings, sorted and joined like scenario_findings_str. */
static char *expected_str(const char *const *expect)
{
    const char *v[MAXF];
    size_t n = 0;
    while (n < MAXF && expect[n])
        v[n] = expect[n], n++;
    if (n > 1)
        qsort(v, n, sizeof(v[0]), sc_cmp);
    struct strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, "");
    for (size_t i = 0; i < n; i++)
        strbuf_addf(&sb, "%s%s", i ? "; " : "", v[i]);
    return strbuf_detach(&sb);
}

/* Only info findings left (or none). */
static bool only_info(const struct scenario_run *r)
{
    for (size_t i = 0; i < r->findings.n; i++)
        if (strncmp(r->findings.items[i], "info ", 5) != 0)
            return false;
    return true;
}

static void print_fail(const char *what, const struct sc_case *c, const struct scenario_run *r)
{
    fprintf(stderr, "scenario %s (%s): %s\n--- stdout\n%s\n--- stderr\n%s\n", c->name, c->args, what,
            r->out ? r->out : "", r->err ? r->err : "");
}

/* exim_oracle_accepts - when the real Exim is unpacked (tests/install-deps.sh),
 * it must accept the Exim configuration the fixes changed (for a Debian
 * layout: what the real update-exim4.conf generates from the fixed sources),
 * and show every value an applied exim-config line set. */
static void exim_oracle_accepts(const struct scenario *s, const struct sc_case *c, const struct strlist *applied)
{
    static const char oracle[] = "build/oracle/exim/usr/sbin";
    char cwd[4096];
    char *plain = xasprintf("%s/exim/configure", s->root);
    char *debian = xasprintf("%s/etc/exim4", s->root);
    char *conf = NULL;
    char *prep = xstrdup("true");
    if (access(oracle, X_OK) != 0 || !getcwd(cwd, sizeof(cwd))) {
        /* no oracle: nothing to compare with */
    } else if (access(plain, R_OK) == 0) {
        conf = xstrdup(plain);
    } else if (access(debian, R_OK) == 0) {
        /* update-exim4.conf with its fixed /etc paths pointed at the copy. */
        conf = xasprintf("%s/.oracle-autogenerated", s->root);
        free(prep);
        prep = xasprintf("sed -e 's|\"/etc/exim4/exim4.conf.localmacros\"|\"%s/etc/exim4/exim4.conf.localmacros\"|g' "
                         "-e 's|-e /etc/exim4/exim4.conf ]|-e \"%s/etc/exim4/exim4.conf\" ]|' "
                         "-e 's|< /etc/mailname|< \"%s/etc/mailname\"|' -e 's|$(hostname --fqdn |$(echo %s |' "
                         "'%s/%s/update-exim4.conf' > '%s/.ue4c' && sh '%s/.ue4c' -d '%s' -o '%s' && chmod 644 '%s'",
                         s->root, s->root, s->root, s->hostname, cwd, oracle, s->root, s->root, debian, conf, conf);
    }
    if (conf) {
        char *out = NULL, *err = NULL;
        char *cmd = xasprintf("%s && unshare -n -u sh -c \"ip link set lo up && hostname %s && env -i '%s/%s/exim4' "
                              "-C '%s' -bP primary_hostname dns_ipv4_lookup disable_ipv6 smtp_banner smtp_active_hostname "
                              "&& env -i '%s/%s/exim4' "
                              "-C '%s' -bP transport remote_smtp\"",
                              prep, s->hostname, cwd, oracle, conf, cwd, oracle, conf);
        int rc = ts_run(cmd, &out, &err);
        if (getenv("MP_SCENARIO_VERBOSE"))
            fprintf(stderr, "scenario %s: the real Exim says:\n%s%s", c->name, out, err);
        ck_assert_msg(rc == 0, "scenario %s: the real Exim refuses the fixed configuration: %s%s", c->name, out, err);
        for (size_t i = 0; i < applied->n; i++) {
            const char *a = applied->items[i];
            if (strncmp(a, "exim-config: ", 13) != 0)
                continue;
            const char *eq = strchr(a, '=');
            const char *in = strstr(a, " in /");
            ck_assert_msg(eq && in && in > eq, "scenario %s: odd exim-config fix '%s'", c->name, a);
            char *value = xstrndup(eq + 2, (size_t)(in - eq - 2));
            ck_assert_msg(strstr(out, value), "scenario %s: after '%s' the real Exim does not show '%s':\n%s", c->name,
                          a, value, out);
            free(value);
        }
        free(cmd);
        free(out);
        free(err);
    }
    free(prep);
    free(conf);
    free(plain);
    free(debian);
}

/* loop_round - apply the fixes prev printed to the copy, then audit again. */
static void loop_round(const struct sc_case *c, struct scenario *s, const struct scenario_run *prev,
                       struct scenario_run *next)
{
    struct strlist applied = STRLIST_INIT;
    int n = scenario_apply_fixes(s, prev, c->loop_only, &applied);
    ck_assert_msg(n > 0, "scenario %s: no fix applied: %s", c->name, n < 0 ? s->error : "none printed");
    exim_oracle_accepts(s, c, &applied);
    int ran = scenario_audit(s, c->args, next);
    ck_assert_msg(ran == 0, "scenario %s (after fixes): %s", c->name, s->error);
    if (getenv("MP_SCENARIO_VERBOSE")) {
        fprintf(stderr, "scenario %s (%s): applied\n", c->name, c->args);
        for (size_t i = 0; i < applied.n; i++)
            fprintf(stderr, "    %s\n", applied.items[i]);
    }
    strlist_free(&applied);
}

START_TEST(scenario_case)
{
    if (!ts_is_root()) {
        tsupport_skip("scenario_case", "needs root for network namespaces");
        return;
    }
    const struct sc_case *c = &cases[_i];
    char *before = scenario_tree_digest("samples");
    struct scenario s;
    struct scenario_run r, r2, r3;
    memset(&r2, 0, sizeof(r2));
    memset(&r3, 0, sizeof(r3));
    int started = scenario_start(&s, c->name, ns);
    if (started != 0) {
        char msg[sizeof(s.error)];
        snprintf(msg, sizeof(msg), "%s", s.error);
        scenario_stop(&s);
        ck_abort_msg("scenario %s: %s", c->name, msg);
    }
    int ran = scenario_audit(&s, c->args, &r);
    char *got = scenario_findings_str(&r);
    char *want = expected_str(c->expect);
    if (ran != 0 || r.rc != c->rc || strcmp(got, want) != 0)
        print_fail("unexpected result", c, &r);
    else if (getenv("MP_SCENARIO_VERBOSE"))
        fprintf(stderr, "scenario %s (%s): %lld ms, exit %d\n%s\n", c->name, c->args, r.ms, r.rc, r.out);
    ck_assert_msg(ran == 0, "scenario %s: %s", c->name, s.error);
    ck_assert_msg(strcmp(got, want) == 0, "scenario %s: findings\n  got:  %s\n  want: %s", c->name, got, want);
    ck_assert_msg(r.rc == c->rc, "scenario %s: exit status %d, want %d", c->name, r.rc, c->rc);
    static const char *const words[] = { "ok", "warning", "critical", "unknown" };
    json_object *st = NULL;
    ck_assert_msg(json_object_object_get_ex(r.json, "status", &st) && c->rc >= 0 && c->rc <= 3
                      && strcmp(json_object_get_string(st), words[c->rc]) == 0,
                  "scenario %s: JSON status does not match exit status %d", c->name, c->rc);
    for (int i = 0; i < 4 && c->json_has[i]; i++) {
        if (c->json_has[i][0] == '!')
            ck_assert_msg(!strstr(r.out, c->json_has[i] + 1), "scenario %s: the JSON has '%s'", c->name,
                          c->json_has[i] + 1);
        else
            ck_assert_msg(strstr(r.out, c->json_has[i]), "scenario %s: the JSON lacks '%s'", c->name, c->json_has[i]);
    }
    if (c->max_ms)
        ck_assert_msg(r.ms <= c->max_ms, "scenario %s: the run took %lld ms, limit %lld", c->name, r.ms, c->max_ms);

    if (c->loop == LOOP) {
        ck_assert_msg(c->rc != 0, "scenario %s: a closed loop needs a failing scenario", c->name);
        int copied = scenario_copy(&s);
        ck_assert_msg(copied == 0, "scenario %s: %s", c->name, s.error);
        loop_round(c, &s, &r, &r2);
        const struct scenario_run *last = &r2;
        if (c->between[0]) {
            char *mid = scenario_findings_str(&r2);
            char *mid_want = expected_str(c->between);
            ck_assert_msg(strcmp(mid, mid_want) == 0, "scenario %s: after one round of fixes\n  got:  %s\n  want: %s",
                          c->name, mid, mid_want);
            free(mid);
            free(mid_want);
            loop_round(c, &s, &r2, &r3);
            last = &r3;
        }
        char *left = scenario_findings_str(last);
        if (last->rc != 0 || !only_info(last))
            print_fail("closed loop did not pass", c, last);
        ck_assert_msg(last->rc == 0 && only_info(last),
                      "scenario %s: after applying the printed fixes the audit still exits %d with: %s", c->name,
                      last->rc, left);
        free(left);
    }
    scenario_run_free(&r3);
    scenario_run_free(&r2);
    scenario_run_free(&r);
    scenario_stop(&s);
    char *after = scenario_tree_digest("samples");
    ck_assert_msg(strcmp(before, after) == 0, "scenario %s: a file under samples/ changed", c->name);
    free(before);
    free(after);
    free(got);
    free(want);
}
END_TEST

/* Where Exim fixes go: a Debian layout is recorded on the configuration,
 * whether it was assembled (stale or missing generated file) or the current
 * generated file was read. No root needed. */
static void debian_layout(const char *dir, bool want_split, const char *generated)
{
    char *tmp = ts_tmpdir("layout");
    char *cmd = xasprintf("cp -a '%s/.' '%s/'", dir, tmp);
    ck_assert_int_eq(ts_run(cmd, NULL, NULL), 0);
    free(cmd);
    if (generated) {
        /* Written after the sources: update-exim4.conf's output is current. */
        cmd = xasprintf("mkdir -p '%s/var/lib/exim4' && cp '%s' '%s/var/lib/exim4/config.autogenerated' && "
                        "touch -d '+1 minute' '%s/var/lib/exim4/config.autogenerated'",
                        tmp, generated, tmp, tmp);
        ck_assert_int_eq(ts_run(cmd, NULL, NULL), 0);
        free(cmd);
    }
    char *confdir = xasprintf("%s/etc/exim4", tmp);
    struct model_host host = { .hostname = "mail" };
    struct model_set set = MODEL_SET_INIT;
    struct diag_list diags = DIAG_LIST_INIT;
    ck_assert_int_eq(exim_identity_load(NULL, confdir, &host, &set, &diags), 1);
    ck_assert_uint_eq(set.nconfigs, 1);
    ck_assert_ptr_nonnull(set.configs[0].debian_dir);
    ck_assert_str_eq(set.configs[0].debian_dir, confdir);
    ck_assert(set.configs[0].debian_split == want_split);
    ck_assert_msg(generated ? strstr(set.configs[0].how, "current") != NULL
                            : strstr(set.configs[0].how, "assembled") != NULL,
                  "%s", set.configs[0].how);
    model_set_free(&set);
    diag_list_free(&diags);
    free(confdir);
    ts_rmtree(tmp);
    free(tmp);
}

START_TEST(exim_debian_layout_recorded)
{
    debian_layout("samples/scenarios/exim-debian", false, NULL);
    debian_layout("samples/scenarios/exim-debian-split", true, NULL);
    debian_layout("samples/scenarios/exim-debian", false, "samples/scenarios/exim-ipv6-first/exim/configure");
    debian_layout("samples/scenarios/exim-debian-split", true, "samples/scenarios/exim-ipv6-first/exim/configure");
}
END_TEST

START_TEST(exim_plain_config_has_no_debian_layout)
{
    struct model_host host = { .hostname = "mail" };
    struct model_set set = MODEL_SET_INIT;
    struct diag_list diags = DIAG_LIST_INIT;
    ck_assert_int_eq(exim_identity_load("samples/scenarios/exim-ipv6-first/exim/configure", NULL, &host, &set, &diags),
                     1);
    ck_assert_uint_eq(set.nconfigs, 1);
    ck_assert_ptr_null(set.configs[0].debian_dir);
    model_set_free(&set);
    diag_list_free(&diags);
}
END_TEST

Suite *scenarios_suite(void)
{
    Suite *s = suite_create("scenarios");
    TCase *tc = tcase_create("scenarios");
    tcase_add_unchecked_fixture(tc, ns_setup, ns_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, scenario_case, 0, NCASES);
    suite_add_tcase(s, tc);
    TCase *layout = tcase_create("exim-layout");
    tcase_add_test(layout, exim_debian_layout_recorded);
    tcase_add_test(layout, exim_plain_config_has_no_debian_layout);
    suite_add_tcase(s, layout);
    return s;
}
