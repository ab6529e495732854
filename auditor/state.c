/* state - drift mode: what earlier runs saw; see state.h. */
#include "auditor/state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "auditor/foundation/atomic.h"
#include "auditor/foundation/slurp.h"
#include "auditor/foundation/xalloc.h"
#include "probes/dns.h"

#define STATE_SCHEMA 1
/* How often a second run retries the lock while it waits. */
#define STATE_LOCK_POLL_MS 20

static void state_entry_free(struct state_entry *e)
{
    free(e->identity);
    free(e->address);
    free(e->hostname);
    free(e->message);
}

static void state_clear(struct state *st)
{
    for (size_t i = 0; i < st->n; i++)
        state_entry_free(&st->items[i]);
    free(st->items);
    st->items = NULL;
    st->n = st->cap = 0;
    st->runs = 0;
}

static const char *state_jstr(struct json_object *o, const char *key)
{
    struct json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

static bool state_jint(struct json_object *o, const char *key, long long *out)
{
    struct json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
        return false;
    *out = json_object_get_int64(v);
    return true;
}

/* state_parse - fill st from the file's text; false when it is not a state
 * file of this schema (nothing is kept then). */
static bool state_parse(struct state *st, const char *text)
{
    struct json_object *root = json_tokener_parse(text);
    struct json_object *list;
    long long schema, runs;
    bool ok = root && json_object_is_type(root, json_type_object) && state_jint(root, "schema", &schema)
        && schema == STATE_SCHEMA && state_jint(root, "runs", &runs) && runs >= 0
        && json_object_object_get_ex(root, "findings", &list) && json_object_is_type(list, json_type_array);
    if (ok) {
        st->runs = (unsigned)runs;
        size_t n = json_object_array_length(list);
        for (size_t i = 0; i < n && ok; i++) {
            struct json_object *o = json_object_array_get_idx(list, i);
            const char *id = state_jstr(o, "id"), *sev = state_jstr(o, "severity");
            const char *identity = state_jstr(o, "identity"), *address = state_jstr(o, "address");
            const char *message = state_jstr(o, "message"), *hostname = state_jstr(o, "hostname");
            long long family, first, last, seen, missed, reported;
            int fid = finding_id_fromstr(id), fsev = finding_severity_fromstr(sev);
            ok = fid >= 0 && fsev >= 0 && identity && address && message && state_jint(o, "family", &family)
                && family >= -1 && family <= 1 && state_jint(o, "first_seen", &first)
                && state_jint(o, "last_seen", &last) && state_jint(o, "seen_runs", &seen) && seen >= 0
                && state_jint(o, "missed_runs", &missed) && missed >= 0 && state_jint(o, "reported", &reported);
            if (!ok)
                break;
            XGROW(st->items, st->cap, st->n + 1);
            struct state_entry *e = &st->items[st->n++];
            memset(e, 0, sizeof(*e));
            e->id = (enum finding_id)fid;
            e->severity = (enum finding_severity)fsev;
            e->identity = xstrdup(identity);
            e->family = (int)family;
            e->address = xstrdup(address);
            e->hostname = hostname ? xstrdup(hostname) : NULL;
            e->message = xstrdup(message);
            e->first_seen = first;
            e->last_seen = last;
            e->seen_runs = (unsigned)seen;
            e->missed_runs = (unsigned)missed;
            e->reported = reported != 0;
        }
    }
    if (root)
        json_object_put(root);
    if (!ok)
        state_clear(st);
    return ok;
}

static int state_lock(struct state *st, long long deadline_ms, char **error)
{
    char *lock = xasprintf("%s.lock", st->path);
    st->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (st->lock_fd < 0) {
        *error = xasprintf("cannot write state '%s': %s", st->path, strerror(errno));
        free(lock);
        return -1;
    }
    free(lock);
    for (;;) {
        if (flock(st->lock_fd, LOCK_EX | LOCK_NB) == 0)
            return 0;
        if (errno != EWOULDBLOCK && errno != EINTR) {
            *error = xasprintf("cannot lock state '%s': %s", st->path, strerror(errno));
            break;
        }
        if (dns_now_ms() >= deadline_ms) {
            *error = xasprintf("state '%s' is in use by another run; giving up after the timeout", st->path);
            break;
        }
        struct timespec ts = { 0, STATE_LOCK_POLL_MS * 1000000L };
        nanosleep(&ts, NULL);
    }
    close(st->lock_fd);
    st->lock_fd = -1;
    return -1;
}

/* state_sweep - remove the temporary files (PATH.tmp.XXXXXX, as
 * atomic_write names them) of runs killed while they wrote the state. Only
 * a run holding the lock writes them, so with the lock held every one is
 * stale. */
static void state_sweep(const char *path)
{
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    const char *base = slash ? slash + 1 : path;
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    char *prefix = xasprintf("%s.tmp.", base);
    size_t plen = strlen(prefix);
    DIR *d = opendir(slash ? dir : ".");
    for (struct dirent *e; d && (e = readdir(d));) {
        if (strncmp(e->d_name, prefix, plen) != 0 || strlen(e->d_name) != plen + 6)
            continue;
        char *tmp = slash ? xasprintf("%s%s%s", dir, slash == dir ? "" : "/", e->d_name) : xstrdup(e->d_name);
        unlink(tmp);
        free(tmp);
    }
    if (d)
        closedir(d);
    free(prefix);
    free(dir);
}

int state_open(struct state *st, const char *path, long long deadline_ms, char **error)
{
    memset(st, 0, sizeof(*st));
    st->path = xstrdup(path);
    st->lock_fd = -1;
    *error = NULL;
    if (state_lock(st, deadline_ms, error) < 0)
        return -1;
    /* The directory must take the temporary file of state_save; finding
     * that out now keeps a run from auditing for nothing. */
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    if (access(slash ? dir : ".", W_OK) != 0) {
        *error = xasprintf("cannot write state '%s': %s", path, strerror(errno));
        free(dir);
        return -1;
    }
    free(dir);
    state_sweep(path);

    size_t len;
    const char *step;
    char *text = slurp_file(path, 0, &len, &step);
    if (!text) {
        int err = errno;
        if (err != ENOENT) {
            *error = xasprintf("cannot read state '%s': %s", path, strerror(err));
            return -1;
        }
        st->first_run = true;
        return 0;
    }
    bool ok = strlen(text) == len && state_parse(st, text);
    free(text);
    if (!ok) {
        char *aside = xasprintf("%s.corrupt", path);
        if (rename(path, aside) == 0)
            st->warning = xasprintf("state '%s' could not be read; moved it to '%s' and started afresh", path, aside);
        else
            st->warning = xasprintf("state '%s' could not be read and not be moved aside (%s); started afresh",
                                    path, strerror(errno));
        free(aside);
        st->first_run = true;
    }
    return 0;
}

static bool state_streq(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static bool state_same_key(const struct state_entry *e, const struct finding *f)
{
    return e->id == f->id && e->family == f->family && state_streq(e->identity, f->identity)
        && state_streq(e->address, f->address);
}

/* state_unknown_for - this run could not judge the key: the resolver lies,
 * or a lookup of the same identity and family (or of its EHLO name) failed. */
static bool state_unknown_for(const struct state_entry *e, const struct finding_list *findings)
{
    for (size_t i = 0; i < findings->n; i++) {
        const struct finding *f = &findings->items[i];
        if (f->id == FINDING_RESOLVER_BROKEN)
            return true;
        if (f->id != FINDING_DNS_FAILURE || !state_streq(f->identity, e->identity))
            continue;
        if (f->family < 0 || e->family < 0 || f->family == e->family)
            return true;
    }
    return false;
}

/* A verdict of unknown is itself damped like any finding, but it never
 * decides the fate of another key. */
static bool state_is_unknown_verdict(enum finding_id id)
{
    return id == FINDING_DNS_FAILURE || id == FINDING_RESOLVER_BROKEN;
}

static void state_entry_refresh(struct state_entry *e, const struct finding *f, long long now)
{
    e->severity = f->severity;
    free(e->hostname);
    e->hostname = f->hostname ? xstrdup(f->hostname) : NULL;
    free(e->message);
    e->message = xstrdup(f->message);
    e->last_seen = now;
}

static void state_add_resolved(struct finding_list *out, const struct state_entry *e)
{
    struct finding *f = finding_add(out, e->id, *e->identity ? e->identity : NULL, e->family,
                                    *e->address ? e->address : NULL, e->hostname, e->message);
    f->severity = e->severity;
}

void state_update(struct state *st, const struct finding_list *findings, unsigned confirm, long long now,
                  struct state_changes *changes)
{
    if (confirm == 0)
        confirm = 1;
    memset(changes, 0, sizeof(*changes));
    bool first = st->first_run;
    bool *seen = xcalloc(st->n ? st->n : 1, sizeof(*seen));
    size_t old_n = st->n;

    for (size_t i = 0; i < findings->n; i++) {
        const struct finding *f = &findings->items[i];
        struct state_entry *e = NULL;
        for (size_t k = 0; k < st->n && !e; k++)
            if (state_same_key(&st->items[k], f))
                e = &st->items[k];
        if (e && (size_t)(e - st->items) < old_n) {
            if (seen[e - st->items])
                continue; /* the same key twice in one run (A and AAAA of one name) */
            seen[e - st->items] = true;
        } else if (e) {
            continue;
        }
        if (!e) {
            XGROW(st->items, st->cap, st->n + 1);
            e = &st->items[st->n++];
            memset(e, 0, sizeof(*e));
            e->id = f->id;
            e->identity = xstrdup(f->identity ? f->identity : "");
            e->family = f->family;
            e->address = xstrdup(f->address ? f->address : "");
            e->first_seen = now;
        }
        state_entry_refresh(e, f, now);
        e->seen_runs++;
        e->missed_runs = 0;
        if (!e->reported && (first || e->seen_runs >= confirm)) {
            e->reported = true;
            finding_add_copy(&changes->added, f);
        } else if (!e->reported) {
            finding_add_copy(&changes->pending, f);
        }
    }

    /* Keys this run did not see. */
    size_t w = 0;
    for (size_t k = 0; k < st->n; k++) {
        struct state_entry *e = &st->items[k];
        bool keep = true;
        if (k < old_n && !seen[k]) {
            if (!state_is_unknown_verdict(e->id) && state_unknown_for(e, findings)) {
                /* Unknown this run: the last known verdict stands. */
            } else if (!e->reported) {
                keep = false; /* pending, and gone again: never reported */
            } else if (++e->missed_runs >= confirm) {
                state_add_resolved(&changes->resolved, e);
                keep = false;
            } else {
                e->seen_runs = 0;
            }
        }
        if (keep)
            st->items[w++] = *e;
        else
            state_entry_free(e);
    }
    st->n = w;
    free(seen);
    st->runs++;

    /* The damped state: what is reported stands until it is resolved. */
    for (size_t k = 0; k < st->n; k++)
        if (st->items[k].reported)
            state_add_resolved(&changes->reported, &st->items[k]);
    changes->status = finding_status_of(&changes->reported);
}

static struct json_object *state_json(const struct state *st)
{
    struct json_object *root = json_object_new_object();
    json_object_object_add(root, "schema", json_object_new_int(STATE_SCHEMA));
    json_object_object_add(root, "runs", json_object_new_int64((int64_t)st->runs));
    struct json_object *list = json_object_new_array();
    for (size_t i = 0; i < st->n; i++) {
        const struct state_entry *e = &st->items[i];
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, "id", json_object_new_string(finding_id_tostr(e->id)));
        json_object_object_add(o, "identity", json_object_new_string(e->identity));
        json_object_object_add(o, "family", json_object_new_int(e->family));
        json_object_object_add(o, "address", json_object_new_string(e->address));
        json_object_object_add(o, "severity", json_object_new_string(finding_severity_tostr(e->severity)));
        json_object_object_add(o, "hostname", e->hostname ? json_object_new_string(e->hostname) : NULL);
        json_object_object_add(o, "message", json_object_new_string(e->message));
        json_object_object_add(o, "first_seen", json_object_new_int64(e->first_seen));
        json_object_object_add(o, "last_seen", json_object_new_int64(e->last_seen));
        json_object_object_add(o, "seen_runs", json_object_new_int64((int64_t)e->seen_runs));
        json_object_object_add(o, "missed_runs", json_object_new_int64((int64_t)e->missed_runs));
        json_object_object_add(o, "reported", json_object_new_int(e->reported));
        json_object_array_add(list, o);
    }
    json_object_object_add(root, "findings", list);
    return root;
}

int state_save(struct state *st, char **error)
{
    struct json_object *root = state_json(st);
    const char *text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
    int rc = atomic_write(st->path, text, strlen(text), 0644, error);
    json_object_put(root);
    return rc;
}

void state_close(struct state *st)
{
    if (st->lock_fd >= 0)
        close(st->lock_fd); /* releases the flock */
    state_clear(st);
    free(st->path);
    free(st->warning);
    memset(st, 0, sizeof(*st));
    st->lock_fd = -1;
}

void state_changes_free(struct state_changes *changes)
{
    finding_list_free(&changes->added);
    finding_list_free(&changes->resolved);
    finding_list_free(&changes->pending);
    finding_list_free(&changes->reported);
}
