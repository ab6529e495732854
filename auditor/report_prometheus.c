/* report_prometheus - metrics output; see report_prometheus.h. */
#include "auditor/report_prometheus.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/hostname.h"
#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"
#include "auditor/verdict_inbound.h"

#ifndef MP_VERSION
#define MP_VERSION "0.0.0"
#endif

static void report_prometheus_label(struct strbuf *sb, const char *name, const char *value, bool first)
{
    strbuf_addf(sb, "%s%s=\"", first ? "" : ",", name);
    char *e = hostname_escape(value ? value : "");
    for (const char *p = e; *p; p++) {
        if (*p == '\\' || *p == '"')
            strbuf_addc(sb, '\\');
        strbuf_addc(sb, *p);
    }
    free(e);
    strbuf_addc(sb, '"');
}

static void report_prometheus_head(struct strbuf *sb, const char *metric, const char *help)
{
    strbuf_addf(sb, "# HELP %s %s\n# TYPE %s gauge\n", metric, help, metric);
}

static bool report_prometheus_streq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool report_prometheus_same_series(const struct finding *a, const struct finding *b)
{
    return a->id == b->id && a->severity == b->severity && a->family == b->family &&
           report_prometheus_streq(a->identity, b->identity) && report_prometheus_streq(a->address, b->address) &&
           report_prometheus_streq(a->hostname, b->hostname);
}

char *report_prometheus(const struct model_set *set, const struct verdict_set *vs, const struct finding_list *findings)
{
    const struct facts *facts = vs->facts;
    struct strbuf sb = STRBUF_INIT;
    report_prometheus_head(&sb, "mta_preflight_status", "Audit status as the exit status: 0 ok, 1 warning, 2 critical, 3 unknown.");
    strbuf_addf(&sb, "mta_preflight_status %d\n", (int)finding_status_of(findings));

    report_prometheus_head(&sb, "mta_preflight_findings", "Number of findings by severity.");
    size_t count[4] = { 0, 0, 0, 0 };
    for (size_t i = 0; i < findings->n; i++)
        count[findings->items[i].severity]++;
    for (int s = FINDING_CRITICAL; s >= FINDING_INFO; s--)
        strbuf_addf(&sb, "mta_preflight_findings{severity=\"%s\"} %zu\n", finding_severity_tostr((enum finding_severity)s),
                    count[s]);

    /* A series must be unique per label set: findings that share every
     * label (the A and the AAAA failure of one EHLO name) add up. */
    report_prometheus_head(&sb, "mta_preflight_finding", "Findings by id, identity, family, address and host name.");
    for (size_t i = 0; i < findings->n; i++) {
        const struct finding *f = &findings->items[i];
        size_t same = 0;
        bool first = true;
        for (size_t j = 0; j < findings->n; j++) {
            if (!report_prometheus_same_series(f, &findings->items[j]))
                continue;
            if (j < i)
                first = false;
            same++;
        }
        if (!first)
            continue;
        strbuf_adds(&sb, "mta_preflight_finding{");
        report_prometheus_label(&sb, "id", finding_id_tostr(f->id), true);
        report_prometheus_label(&sb, "severity", finding_severity_tostr(f->severity), false);
        report_prometheus_label(&sb, "identity", f->identity, false);
        report_prometheus_label(&sb, "family", f->family < 0 ? "" : model_family_tostr((enum model_family)f->family),
                                false);
        report_prometheus_label(&sb, "address", f->address, false);
        report_prometheus_label(&sb, "hostname", f->hostname, false);
        strbuf_addf(&sb, "} %zu\n", same);
    }

    report_prometheus_head(&sb, "mta_preflight_identities", "Outbound SMTP identities audited.");
    strbuf_addf(&sb, "mta_preflight_identities %zu\n", set->n);

    report_prometheus_head(&sb, "mta_preflight_source_ptr_confirmed",
                           "1 when the source address has a forward-confirmed PTR, 0 when not; absent when unknown.");
    for (size_t i = 0; i < vs->n; i++)
        for (int f = 0; f < MODEL_NFAMILIES; f++) {
            const struct verdict_family *fam = &vs->items[i].fam[f];
            if (fam->source != VERDICT_SOURCE_OK || fam->rev.confirmed == VERDICT_UNKNOWN)
                continue;
            strbuf_adds(&sb, "mta_preflight_source_ptr_confirmed{");
            report_prometheus_label(&sb, "identity", vs->items[i].id->id, true);
            report_prometheus_label(&sb, "family", model_family_tostr((enum model_family)f), false);
            report_prometheus_label(&sb, "address", fam->address, false);
            strbuf_addf(&sb, "} %d\n", fam->rev.confirmed == VERDICT_YES);
        }

    /* The inbound part: per listener address whether the banner's host
     * name is its PTR name, per domain whether an MX target is this host. */
    const struct verdict_inbound *vi = vs->inbound;
    report_prometheus_head(&sb, "mta_preflight_inbound_banner_ptr_match",
                           "1 when the SMTP banner's host name is the PTR name of the listening address, 0 when not; "
                           "absent when unknown.");
    for (size_t i = 0; vi && i < vi->nlisteners; i++)
        for (size_t k = 0; k < vi->listeners[i].naddrs; k++) {
            const struct verdict_inbound_addr *va = &vi->listeners[i].addrs[k];
            if (va->ptr == VERDICT_PTR_UNKNOWN || vi->listeners[i].form != VERDICT_BANNER_FQDN)
                continue;
            strbuf_adds(&sb, "mta_preflight_inbound_banner_ptr_match{");
            report_prometheus_label(&sb, "listener", vi->listeners[i].l->id, true);
            report_prometheus_label(&sb, "address", va->address, false);
            strbuf_addf(&sb, "} %d\n", va->banner_is_ptr);
        }
    report_prometheus_head(&sb, "mta_preflight_mx_this_host",
                           "1 when an MX target of the domain is this host, 0 when not; absent when unknown.");
    for (size_t i = 0; vi && i < vi->ndomains; i++) {
        if (vi->domains[i].this_host == VERDICT_UNKNOWN)
            continue;
        strbuf_adds(&sb, "mta_preflight_mx_this_host{");
        report_prometheus_label(&sb, "domain", vi->domains[i].d->name, true);
        strbuf_addf(&sb, "} %d\n", vi->domains[i].this_host == VERDICT_YES);
    }

    report_prometheus_head(&sb, "mta_preflight_last_run_timestamp_seconds", "When the run ended, Unix time.");
    long long end_ms = facts->run_started_ms + (facts->run_duration_ms > 0 ? facts->run_duration_ms : 0);
    strbuf_addf(&sb, "mta_preflight_last_run_timestamp_seconds %lld.%03lld\n", end_ms / 1000, end_ms % 1000);
    report_prometheus_head(&sb, "mta_preflight_run_duration_seconds", "How long the run took.");
    long long dur = facts->run_duration_ms > 0 ? facts->run_duration_ms : 0;
    strbuf_addf(&sb, "mta_preflight_run_duration_seconds %lld.%03lld\n", dur / 1000, dur % 1000);
    report_prometheus_head(&sb, "mta_preflight_build_info", "The program's version, as a label; always 1.");
    strbuf_addf(&sb, "mta_preflight_build_info{version=\"%s\"} 1\n", MP_VERSION);

    report_prometheus_head(&sb, "mta_preflight_dns_lookup_seconds", "Time to the answer of each DNS question.");
    for (size_t i = 0; i < facts->nlookups; i++) {
        const struct facts_lookup *l = &facts->lookups[i];
        strbuf_adds(&sb, "mta_preflight_dns_lookup_seconds{");
        report_prometheus_label(&sb, "name", l->name, true);
        report_prometheus_label(&sb, "type", facts_rrtype_tostr(l->type), false);
        report_prometheus_label(&sb, "status", facts_status_tostr(l->status), false);
        strbuf_addf(&sb, "} %u.%03u\n", l->ms / 1000, l->ms % 1000);
    }
    return strbuf_detach(&sb);
}
