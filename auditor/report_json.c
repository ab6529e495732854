/* report_json - schema 1 JSON of an audit; see report_json.h. */
#include "auditor/report_json.h"

#include <stdlib.h>
#include <string.h>

#include "auditor/identity_json.h"
#include "auditor/verdict.h"
#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"
#include "auditor/verdict_inbound.h"

#ifndef MP_VERSION
#define MP_VERSION "0.0.0"
#endif

static struct json_object *report_json_str(const char *s)
{
    return s ? json_object_new_string(s) : NULL;
}

/* report_json_zone - the reverse zone of an address and its owner into o
 * (sources[].reverse_zone, inbound[].reverse_zones[]); false, adding
 * nothing, when its SOA was not asked or gave no zone. */
static bool report_json_zone(struct json_object *o, const struct verdict_reverse *rev)
{
    if (!rev->zone)
        return false;
    json_object_object_add(o, "zone", report_json_str(rev->zone));
    json_object_object_add(o, "mname", report_json_str(rev->mname));
    json_object_object_add(o, "rname", report_json_str(rev->rname));
    const struct provider_match *m = &rev->provider;
    json_object_object_add(o, "provider", m->provider ? json_object_new_string(m->provider->key) : NULL);
    if (m->provider) {
        json_object_object_add(o, "provider_evidence", json_object_new_string(provider_evidence_tostr(m->evidence)));
        json_object_object_add(o, "provider_verified", json_object_new_boolean(m->verified));
    }
    if (rev->ns_lookup && rev->ns_lookup->status == FACTS_OK) {
        struct json_object *ns = json_object_new_array();
        for (size_t i = 0; i < rev->ns_lookup->answers.n; i++)
            json_object_array_add(ns, json_object_new_string(rev->ns_lookup->answers.items[i]));
        json_object_object_add(o, "ns", ns);
    }
    if (rev->auth != VERDICT_AUTH_NOT_ASKED) {
        static const char *const words[] = { "not-asked", "unknown", "agree", "disagree" };
        json_object_object_add(o, "authoritative", json_object_new_string(words[rev->auth]));
        json_object_object_add(o, "ptr_from", json_object_new_string(rev->ptr_from_auth ? "authoritative" : "resolver"));
    }
    return true;
}

static struct json_object *report_json_source(const struct model_set *set, const struct facts_source *s)
{
    struct json_object *o = json_object_new_object();
    const char *identity = s->identity < set->n ? set->items[s->identity].id : NULL;
    json_object_object_add(o, "identity", report_json_str(identity));
    json_object_object_add(o, "family", json_object_new_string(model_family_tostr(s->family)));
    json_object_object_add(o, "address", report_json_str(s->address));
    json_object_object_add(o, "how", json_object_new_string(facts_how_tostr(s->how)));
    json_object_object_add(o, "interface", report_json_str(s->interface));
    json_object_object_add(o, "scope", s->address ? json_object_new_string(scope_tostr(s->scope)) : NULL);
    json_object_object_add(o, "temporary", json_object_new_boolean(s->temporary));
    json_object_object_add(o, "deprecated", json_object_new_boolean(s->deprecated));
    json_object_object_add(o, "tentative", json_object_new_boolean(s->tentative));
    json_object_object_add(o, "route", json_object_new_boolean(s->route));
    json_object_object_add(o, "bind_local",
                           s->bind_local == FACTS_LOCAL_UNKNOWN
                               ? NULL
                               : json_object_new_boolean(s->bind_local == FACTS_LOCAL_YES));
    json_object_object_add(o, "kernel_address", report_json_str(s->kernel_address));
    json_object_object_add(o, "configured_address", report_json_str(s->configured_address));
    json_object_object_add(o, "route_target", report_json_str(s->target));
    json_object_object_add(o, "route_port", s->port ? json_object_new_int((int)s->port) : NULL);
    json_object_object_add(o, "user", report_json_str(s->user));
    json_object_object_add(o, "uid", s->uid >= 0 ? json_object_new_int64((int64_t)s->uid) : NULL);
    json_object_object_add(o, "error", report_json_str(s->error));
    json_object_object_add(o, "configured_address", report_json_str(s->configured_address));
    json_object_object_add(o, "target", report_json_str(s->target));
    json_object_object_add(o, "port", s->port ? json_object_new_int64((int64_t)s->port) : NULL);
    json_object_object_add(o, "user", report_json_str(s->user));
    json_object_object_add(o, "uid", s->uid >= 0 ? json_object_new_int64((int64_t)s->uid) : NULL);
    return o;
}

static struct json_object *report_json_source_zone(const struct model_set *set, const struct verdict_set *vs,
                                                   const struct facts_source *s)
{
    struct json_object *o = report_json_source(set, s);
    struct json_object *z = json_object_new_object();
    if (s->identity >= vs->n || !report_json_zone(z, &vs->items[s->identity].fam[s->family].rev)) {
        json_object_put(z);
        z = NULL;
    }
    json_object_object_add(o, "reverse_zone", z);
    return o;
}

static struct json_object *report_json_lookup(const struct facts_lookup *l)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "name", json_object_new_string(l->name));
    json_object_object_add(o, "type", json_object_new_string(facts_rrtype_tostr(l->type)));
    json_object_object_add(o, "status", json_object_new_string(facts_status_tostr(l->status)));
    struct json_object *a = json_object_new_array();
    for (size_t i = 0; i < l->answers.n; i++)
        json_object_array_add(a, json_object_new_string(l->answers.items[i]));
    json_object_object_add(o, "answers", a);
    json_object_object_add(o, "ms", json_object_new_int64((int64_t)l->ms));
    json_object_object_add(o, "server", report_json_str(l->server));
    json_object_object_add(o, "detail", report_json_str(l->detail));
    json_object_object_add(o, "ttl", l->ttl >= 0 ? json_object_new_int64((int64_t)l->ttl) : NULL);
    if (l->direct)
        json_object_object_add(o, "authoritative_server", json_object_new_boolean(true));
    if (l->zone) {
        json_object_object_add(o, "zone", json_object_new_string(l->zone));
        json_object_object_add(o, "mname", report_json_str(l->mname));
        json_object_object_add(o, "rname", report_json_str(l->rname));
        json_object_object_add(o, "serial", json_object_new_int64((int64_t)l->serial));
    }
    if (l->invalid.n) {
        struct json_object *inv = json_object_new_array();
        for (size_t i = 0; i < l->invalid.n; i++)
            json_object_array_add(inv, json_object_new_string(l->invalid.items[i]));
        json_object_object_add(o, "invalid_names", inv);
    }
    return o;
}

static struct json_object *report_json_fix(const struct fix *x)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "kind", json_object_new_string(fix_kind_tostr(x->kind)));
    json_object_object_add(o, "text", json_object_new_string(x->text));
    if (x->command)
        json_object_object_add(o, "command", json_object_new_string(x->command));
    if (x->record)
        json_object_object_add(o, "record", json_object_new_string(x->record));
    if (x->file)
        json_object_object_add(o, "file", json_object_new_string(x->file));
    if (x->line)
        json_object_object_add(o, "line", json_object_new_string(x->line));
    if (x->kind == FIX_PROVIDER_PTR) {
        json_object_object_add(o, "provider", report_json_str(x->provider));
        struct json_object *how = NULL;
        if (x->provider) {
            how = json_object_new_object();
            json_object_object_add(how, "panel", report_json_str(x->panel));
            json_object_object_add(how, "command", report_json_str(x->how_command));
            json_object_object_add(how, "forward_first", json_object_new_boolean(x->forward_first));
            json_object_object_add(how, "note", report_json_str(x->how_note));
            json_object_object_add(how, "verified", json_object_new_boolean(!x->how_unverified));
        }
        json_object_object_add(o, "how", how);
    }
    return o;
}

static struct json_object *report_json_finding(const struct finding *f)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_string(finding_id_tostr(f->id)));
    json_object_object_add(o, "severity", json_object_new_string(finding_severity_tostr(f->severity)));
    json_object_object_add(o, "identity", report_json_str(f->identity));
    json_object_object_add(o, "family",
                           f->family < 0 ? NULL : json_object_new_string(model_family_tostr((enum model_family)f->family)));
    json_object_object_add(o, "address", report_json_str(f->address));
    json_object_object_add(o, "hostname", report_json_str(f->hostname));
    json_object_object_add(o, "title", json_object_new_string(finding_def_get(f->id)->title));
    json_object_object_add(o, "message", json_object_new_string(f->message));
    struct json_object *fixes = json_object_new_array();
    for (size_t i = 0; i < f->fixes.n; i++)
        json_object_array_add(fixes, report_json_fix(&f->fixes.items[i]));
    json_object_object_add(o, "fixes", fixes);
    return o;
}

static struct json_object *report_json_strlist(const struct strlist *l)
{
    struct json_object *a = json_object_new_array();
    for (size_t i = 0; i < l->n; i++)
        json_object_array_add(a, json_object_new_string(l->items[i]));
    return a;
}

/* report_json_listener - one entry of inbound[]: the configured banner and
 * the public addresses mail arrives on (the wildcard expanded). */
static struct json_object *report_json_listener(const struct verdict_listener *vl)
{
    const struct listener *l = vl->l;
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_string(l->id));
    json_object_object_add(o, "mta", json_object_new_string(model_mta_tostr(l->mta)));
    json_object_object_add(o, "port", json_object_new_int64((int64_t)l->port));
    struct json_object *b = json_object_new_object();
    json_object_object_add(b, "text", report_json_str(l->banner.text));
    json_object_object_add(b, "hostname", report_json_str(l->banner.hostname));
    char *origin = model_origin_tostr(&l->banner.origin);
    json_object_object_add(b, "origin", report_json_str(origin));
    free(origin);
    json_object_object_add(b, "dynamic", json_object_new_boolean(l->banner.dynamic));
    json_object_object_add(b, "form", json_object_new_string(verdict_banner_tostr(vl->form)));
    if (vl->live) {
        struct strbuf sb = STRBUF_INIT;
        for (size_t i = 0; i < vl->live->lines.n; i++)
            strbuf_addf(&sb, "%s%s", i ? "\n" : "", vl->live->lines.items[i]);
        json_object_object_add(b, "live", json_object_new_string(sb.buf ? sb.buf : ""));
        strbuf_release(&sb);
    } else {
        json_object_object_add(b, "live", NULL);
    }
    json_object_object_add(o, "banner", b);
    if (l->teaser.present) {
        struct json_object *t = json_object_new_object();
        json_object_object_add(t, "text", report_json_str(l->teaser.text));
        json_object_object_add(t, "hostname", report_json_str(l->teaser.hostname));
        json_object_object_add(o, "teaser", t);
    }
    struct json_object *addrs = json_object_new_array();
    struct json_object *ptrs = json_object_new_array();
    for (size_t k = 0; k < vl->naddrs; k++) {
        const struct verdict_inbound_addr *va = &vl->addrs[k];
        json_object_array_add(addrs, json_object_new_string(va->address));
        struct json_object *p = json_object_new_object();
        json_object_object_add(p, "address", json_object_new_string(va->address));
        json_object_object_add(p, "listening", report_json_str(va->listening));
        struct json_object *names = json_object_new_array();
        for (size_t i = 0; i < va->nnames; i++)
            json_object_array_add(names, json_object_new_string(va->names[i]));
        json_object_object_add(p, "ptr", names);
        json_object_object_add(p, "confirmed", va->confirmed == VERDICT_UNKNOWN ? NULL
                                   : json_object_new_boolean(va->confirmed == VERDICT_YES));
        json_object_object_add(p, "banner_is_ptr", json_object_new_boolean(va->banner_is_ptr));
        json_object_object_add(p, "mx_target", json_object_new_boolean(va->mx_target));
        json_object_array_add(ptrs, p);
    }
    json_object_object_add(o, "addresses", addrs);
    json_object_object_add(o, "ptr", ptrs);
    /* Per address its reverse zone, with the keys of sources[].reverse_zone
     * after "address"; those of an unknown zone are null. */
    struct json_object *zones = json_object_new_array();
    for (size_t k = 0; k < vl->naddrs; k++) {
        struct json_object *z = json_object_new_object();
        json_object_object_add(z, "address", json_object_new_string(vl->addrs[k].address));
        if (!report_json_zone(z, &vl->addrs[k].rev)) {
            static const char *const keys[] = { "zone", "mname", "rname", "provider" };
            for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
                json_object_object_add(z, keys[i], NULL);
        }
        json_object_array_add(zones, z);
    }
    json_object_object_add(o, "reverse_zones", zones);
    return o;
}

/* report_json_mx - one entry of mx[]. */
static struct json_object *report_json_mx(const struct verdict_domain *vd)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "domain", json_object_new_string(vd->d->name));
    json_object_object_add(o, "source", report_json_str(vd->d->source));
    json_object_object_add(o, "status", json_object_new_string(verdict_mx_tostr(vd->mx)));
    struct json_object *targets = json_object_new_array();
    for (size_t i = 0; i < vd->ntargets; i++) {
        const struct verdict_mx_target *t = &vd->targets[i];
        struct json_object *x = json_object_new_object();
        json_object_object_add(x, "name", json_object_new_string(t->name));
        json_object_object_add(x, "preference", json_object_new_int64((int64_t)t->preference));
        json_object_object_add(x, "addresses", report_json_strlist(&t->addresses));
        json_object_object_add(x, "this_host", json_object_new_boolean(t->this_host));
        json_object_array_add(targets, x);
    }
    json_object_object_add(o, "targets", targets);
    return o;
}

/* report_json_add_inbound - inbound[] and mx[] (empty with --no-inbound). */
static void report_json_add_inbound(struct json_object *root, const struct model_set *set, const struct facts *facts)
{
    struct verdict_set vs;
    verdict_compute(set, facts, &vs);
    struct json_object *in = json_object_new_array(), *mx = json_object_new_array();
    for (size_t i = 0; i < vs.inbound->nlisteners; i++)
        json_object_array_add(in, report_json_listener(&vs.inbound->listeners[i]));
    for (size_t i = 0; i < vs.inbound->ndomains; i++)
        json_object_array_add(mx, report_json_mx(&vs.inbound->domains[i]));
    json_object_object_add(root, "inbound", in);
    json_object_object_add(root, "mx", mx);
    verdict_set_free(&vs);
}

struct json_object *report_json_object(const struct model_set *set, const struct facts *facts,
                                       const struct finding_list *findings)
{
    struct json_object *root = json_object_new_object();
    identity_json_add_head(root, finding_status_tostr(finding_status_of(findings)), set, facts->diags);
    json_object_object_add(root, "run", identity_json_run(facts->run_started_ms, facts->run_duration_ms,
                                                          &facts->resolvers));
    struct json_object *sources = json_object_new_array();
    struct verdict_set vs;
    verdict_compute(set, facts, &vs);
    for (size_t i = 0; i < facts->nsources; i++)
        json_object_array_add(sources, report_json_source_zone(set, &vs, &facts->sources[i]));
    verdict_set_free(&vs);
    json_object_object_add(root, "sources", sources);
    struct json_object *lookups = json_object_new_array();
    for (size_t i = 0; i < facts->nlookups; i++)
        json_object_array_add(lookups, report_json_lookup(&facts->lookups[i]));
    json_object_object_add(root, "lookups", lookups);
    report_json_add_inbound(root, set, facts);
    struct json_object *fl = json_object_new_array();
    for (size_t i = 0; i < findings->n; i++)
        json_object_array_add(fl, report_json_finding(&findings->items[i]));
    json_object_object_add(root, "findings", fl);
    return root;
}

void report_json_add_changes(struct json_object *root, const struct state_changes *changes, const char *file,
                             unsigned runs)
{
    json_object_object_add(root, "status", json_object_new_string(finding_status_tostr(changes->status)));
    struct json_object *c = json_object_new_object();
    const struct finding_list *lists[3] = { &changes->added, &changes->resolved, &changes->pending };
    static const char *const names[3] = { "new", "resolved", "pending" };
    for (int k = 0; k < 3; k++) {
        struct json_object *a = json_object_new_array();
        for (size_t i = 0; i < lists[k]->n; i++)
            json_object_array_add(a, report_json_finding(&lists[k]->items[i]));
        json_object_object_add(c, names[k], a);
    }
    json_object_object_add(root, "changes", c);
    struct json_object *s = json_object_new_object();
    json_object_object_add(s, "file", json_object_new_string(file));
    json_object_object_add(s, "runs", json_object_new_int64((int64_t)runs));
    json_object_object_add(root, "state", s);
}

char *report_json_text(struct json_object *root)
{
    const char *text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
    return xasprintf("%s\n", text);
}

char *report_json(const struct model_set *set, const struct facts *facts, const struct finding_list *findings)
{
    struct json_object *root = report_json_object(set, facts, findings);
    char *out = report_json_text(root);
    json_object_put(root);
    return out;
}
