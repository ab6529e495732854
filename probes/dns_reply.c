/* dns_reply - judging one raw DNS reply; see dns_reply.h. */
#include "probes/dns_reply.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/term.h"
#include "auditor/foundation/xalloc.h"

#define DNS_MAX_CNAMES 16
#define DNS_WIRE_MAX 255 /* a name in wire form, with its root label */

#define DNS_T_A 1
#define DNS_T_NS 2
#define DNS_T_CNAME 5
#define DNS_T_SOA 6
#define DNS_T_PTR 12
#define DNS_T_MX 15
#define DNS_T_AAAA 28

unsigned dns_reply_wire_type(enum dns_type type)
{
    switch (type) {
    case DNS_A:
        return DNS_T_A;
    case DNS_AAAA:
        return DNS_T_AAAA;
    case DNS_NS:
        return DNS_T_NS;
    case DNS_SOA:
        return DNS_T_SOA;
    case DNS_MX:
        return DNS_T_MX;
    case DNS_PTR:
        break;
    }
    return DNS_T_PTR;
}

static int dns_reply_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort and drop duplicates: answer order varies between runs and servers. */
void dns_reply_sort_unique(struct strlist *list)
{
    size_t w = 0;
    if (list->n < 2)
        return;
    qsort(list->items, list->n, sizeof(list->items[0]), dns_reply_cmp);
    for (size_t r = 0; r < list->n; r++) {
        if (w > 0 && strcmp(list->items[w - 1], list->items[r]) == 0) {
            free(list->items[r]);
            continue;
        }
        list->items[w++] = list->items[r];
    }
    list->n = w;
}

/* dns_reply_name - the (possibly compressed) name at *off of buf, copied to
 * out in uncompressed wire form (length-prefixed labels, root label last);
 * *off moves past the name where it stands. Returns the length of out, or
 * -1 when malformed: out of bounds, a pointer that does not point back, too
 * many pointers, an unknown label type, longer than 255 bytes. */
static int dns_reply_name(const unsigned char *buf, size_t len, size_t *off, unsigned char out[DNS_WIRE_MAX])
{
    size_t pos = *off, n = 0;
    int hops = 0;
    bool jumped = false;

    for (;;) {
        if (pos >= len)
            return -1;
        unsigned c = buf[pos];
        if ((c & 0xc0) == 0xc0) {
            if (pos + 1 >= len || ++hops > 64)
                return -1;
            size_t target = (size_t)(c & 0x3f) << 8 | buf[pos + 1];
            if (target >= pos)
                return -1;
            if (!jumped)
                *off = pos + 2;
            jumped = true;
            pos = target;
            continue;
        }
        if (c & 0xc0)
            return -1;
        if (n + 1 + c > DNS_WIRE_MAX || pos + 1 + c > len)
            return -1;
        memcpy(out + n, buf + pos, 1 + c);
        n += 1 + c;
        pos += 1 + c;
        if (c == 0) {
            if (!jumped)
                *off = pos;
            return (int)n;
        }
    }
}

static unsigned char dns_reply_fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Names in wire form compare without ASCII case (length bytes are < 64, so
 * folding them changes nothing). */
static bool dns_reply_name_equal(const unsigned char *a, int alen, const unsigned char *b, int blen)
{
    if (alen != blen)
        return false;
    for (int i = 0; i < alen; i++)
        if (dns_reply_fold(a[i]) != dns_reply_fold(b[i]))
            return false;
    return true;
}

/* A host name for our purposes: labels of letters, digits, '-' and '_' only
 * (the checks judge the rest), and not the root. */
static bool dns_reply_name_ok(const unsigned char *w, int wlen)
{
    if (wlen < 2)
        return false;
    for (int i = 0; i < wlen && w[i]; i += 1 + w[i])
        for (int k = 1; k <= w[i]; k++) {
            unsigned char c = dns_reply_fold(w[i + k]);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-' && c != '_')
                return false;
        }
    return true;
}

/* The text of a name: labels joined by '.', without the trailing dot. A
 * valid host name is lowercased; any other name is escaped for printing as
 * hostname_escape() does, with a NUL or a dot inside a label as \x00 and
 * \x2e; the root is ".". */
static char *dns_reply_name_text(const unsigned char *w, int wlen, bool valid)
{
    struct strbuf sb = STRBUF_INIT;
    if (wlen < 2)
        return xstrdup(".");
    for (int i = 0; i < wlen && w[i]; i += 1 + w[i]) {
        if (i > 0)
            strbuf_addc(&sb, '.');
        char label[64];
        int len = w[i], start = 0;
        memcpy(label, w + i + 1, (size_t)len);
        label[len] = '\0';
        if (valid) {
            for (int k = 0; k < len; k++)
                strbuf_addc(&sb, (char)dns_reply_fold((unsigned char)label[k]));
            continue;
        }
        /* Escape the pieces between NULs and dots, which term cannot see. */
        for (int k = 0; k <= len; k++) {
            if (k < len && label[k] != '\0' && label[k] != '.')
                continue;
            char c = label[k];
            label[k] = '\0';
            term_escape_ascii(&sb, label + start);
            if (k < len)
                strbuf_adds(&sb, c == '.' ? "\\x2e" : "\\x00");
            start = k + 1;
        }
    }
    return strbuf_detach(&sb);
}

/* One resource record at *off; *off moves past it. */
struct dns_reply_rr {
    unsigned char owner[DNS_WIRE_MAX];
    int ownerlen;
    unsigned type, klass;
    unsigned long ttl;
    size_t rdata, rdlen;
};

static int dns_reply_rr_read(const unsigned char *buf, size_t len, size_t *off, struct dns_reply_rr *rr)
{
    rr->ownerlen = dns_reply_name(buf, len, off, rr->owner);
    if (rr->ownerlen < 0 || *off + 10 > len)
        return -1;
    const unsigned char *p = buf + *off;
    rr->type = (unsigned)p[0] << 8 | p[1];
    rr->klass = (unsigned)p[2] << 8 | p[3];
    rr->ttl = (unsigned long)p[4] << 24 | (unsigned long)p[5] << 16 | (unsigned long)p[6] << 8 | p[7];
    /* RFC 2181 8: a TTL with the top bit set is zero. */
    if (rr->ttl > 0x7fffffffUL)
        rr->ttl = 0;
    rr->rdlen = (size_t)p[8] << 8 | p[9];
    rr->rdata = *off + 10;
    if (rr->rdata + rr->rdlen > len)
        return -1;
    *off = rr->rdata + rr->rdlen;
    return 0;
}

/* The name in a record's data (CNAME, PTR, NS), which must end inside it. */
static int dns_reply_rdata_name(const unsigned char *buf, size_t len, const struct dns_reply_rr *rr, unsigned char out[DNS_WIRE_MAX])
{
    size_t off = rr->rdata;
    int n = dns_reply_name(buf, len, &off, out);
    return n < 0 || off > rr->rdata + rr->rdlen ? -1 : n;
}

static unsigned long dns_reply_u32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

/* dns_reply_soa - read the SOA record rr into soa (replacing nothing when
 * soa already holds one). Returns -1 when its data is malformed. */
static int dns_reply_soa(const unsigned char *buf, size_t len, const struct dns_reply_rr *rr, struct dns_soa *soa)
{
    unsigned char mname[DNS_WIRE_MAX], rname[DNS_WIRE_MAX];
    size_t off = rr->rdata, end = rr->rdata + rr->rdlen;
    int ml = dns_reply_name(buf, len, &off, mname);
    if (ml < 0 || off > end)
        return -1;
    int rl = dns_reply_name(buf, len, &off, rname);
    if (rl < 0 || off + 20 > end)
        return -1;
    if (soa->zone)
        return 0;
    soa->zone = dns_reply_name_text(rr->owner, rr->ownerlen, dns_reply_name_ok(rr->owner, rr->ownerlen));
    soa->mname = dns_reply_name_text(mname, ml, dns_reply_name_ok(mname, ml));
    soa->rname = dns_reply_name_text(rname, rl, dns_reply_name_ok(rname, rl));
    soa->serial = dns_reply_u32(buf + off);
    soa->minimum = dns_reply_u32(buf + off + 16);
    soa->ttl = (long)rr->ttl;
    return 0;
}

/* Walk the answer section: follow the CNAME chain from the question's name
 * and collect the records of the asked type owned by a name on it. */
static int dns_reply_collect(const unsigned char *buf, size_t len, size_t answers_off, unsigned ancount,
                             const unsigned char *qname, int qlen, unsigned want, struct dns_reply *j,
                             size_t *found)
{
    unsigned char chain[DNS_MAX_CNAMES + 1][DNS_WIRE_MAX];
    int chainlen[DNS_MAX_CNAMES + 1];
    size_t nchain = 1;
    struct dns_reply_rr rr;

    memcpy(chain[0], qname, (size_t)qlen);
    chainlen[0] = qlen;
    /* CNAMEs may come in any order: extend the chain until it stops growing. */
    for (bool grew = true; grew && nchain <= DNS_MAX_CNAMES;) {
        grew = false;
        size_t off = answers_off;
        for (unsigned i = 0; i < ancount && !grew; i++) {
            if (dns_reply_rr_read(buf, len, &off, &rr) < 0)
                return -1;
            if (rr.type != DNS_T_CNAME || rr.klass != DNS_REPLY_CLASS_IN ||
                !dns_reply_name_equal(rr.owner, rr.ownerlen, chain[nchain - 1], chainlen[nchain - 1]))
                continue;
            int tl = dns_reply_rdata_name(buf, len, &rr, chain[nchain]);
            if (tl < 0)
                return -1;
            bool loop = false;
            for (size_t k = 0; k < nchain && !loop; k++)
                loop = dns_reply_name_equal(chain[k], chainlen[k], chain[nchain], tl);
            if (loop)
                break;
            chainlen[nchain++] = tl;
            grew = true;
        }
    }
    size_t off = answers_off;
    *found = 0;
    for (unsigned i = 0; i < ancount; i++) {
        if (dns_reply_rr_read(buf, len, &off, &rr) < 0)
            return -1;
        if (rr.type != want || rr.klass != DNS_REPLY_CLASS_IN)
            continue;
        bool owned = false;
        for (size_t k = 0; k < nchain && !owned; k++)
            owned = dns_reply_name_equal(rr.owner, rr.ownerlen, chain[k], chainlen[k]);
        if (!owned)
            continue;
        if (j->ttl < 0 || (long)rr.ttl < j->ttl)
            j->ttl = (long)rr.ttl;
        if (want == DNS_T_SOA) {
            if (dns_reply_soa(buf, len, &rr, &j->soa) < 0)
                return -1;
            if (j->answers.n == 0)
                strlist_add(&j->answers, j->soa.mname);
        } else if (want == DNS_T_A || want == DNS_T_AAAA) {
            char text[INET6_ADDRSTRLEN];
            if (rr.rdlen != (want == DNS_T_A ? 4u : 16u))
                return -1;
            inet_ntop(want == DNS_T_A ? AF_INET : AF_INET6, buf + rr.rdata, text, sizeof(text));
            strlist_add(&j->answers, text);
        } else if (want == DNS_T_MX) {
            /* Preference (16 bits), then the exchange's name. */
            if (rr.rdlen < 3)
                return -1;
            unsigned pref = (unsigned)buf[rr.rdata] << 8 | buf[rr.rdata + 1];
            struct dns_reply_rr sub = rr;
            sub.rdata += 2;
            sub.rdlen -= 2;
            unsigned char name[DNS_WIRE_MAX];
            int nl = dns_reply_rdata_name(buf, len, &sub, name);
            if (nl < 0)
                return -1;
            bool valid = nl == 1 || dns_reply_name_ok(name, nl); /* the root: a null MX */
            char *text = nl == 1 ? xstrdup(".") : dns_reply_name_text(name, nl, valid);
            strlist_add_owned(valid ? &j->answers : &j->invalid, xasprintf("%u %s", pref, text));
            free(text);
        } else {
            unsigned char name[DNS_WIRE_MAX];
            int nl = dns_reply_rdata_name(buf, len, &rr, name);
            if (nl < 0)
                return -1;
            bool valid = dns_reply_name_ok(name, nl);
            strlist_add_owned(valid ? &j->answers : &j->invalid, dns_reply_name_text(name, nl, valid));
        }
        (*found)++;
    }
    return 0;
}

void dns_reply_judge(const unsigned char *buf, size_t len, enum dns_type type, const char *srv,
                     struct dns_reply *j)
{
    memset(j, 0, sizeof(*j));
    j->verdict = DNS_REPLY_FAIL;
    j->status = DNS_ERROR;
    j->ttl = -1;
    if (len < 12) {
        j->note = xasprintf("malformed reply from %s", srv);
        return;
    }
    if (!(buf[2] & 0x80)) {
        j->note = xasprintf("reply from %s has the QR bit clear", srv);
        return;
    }
    bool aa = (buf[2] & 0x04) != 0;
    unsigned rcode = buf[3] & 0x0f;
    unsigned qdcount = (unsigned)buf[4] << 8 | buf[5];
    unsigned ancount = (unsigned)buf[6] << 8 | buf[7];
    unsigned nscount = (unsigned)buf[8] << 8 | buf[9];
    switch (rcode) {
    case ns_r_noerror:
    case ns_r_nxdomain:
        /* NXDOMAIN is final whatever follows; its authority SOA says for
         * how long and in which zone. */
        break;
    case ns_r_servfail:
        j->status = DNS_SERVFAIL;
        j->note = xasprintf("SERVFAIL from %s", srv);
        return;
    case ns_r_refused:
        j->status = DNS_REFUSED;
        j->note = xasprintf("REFUSED from %s", srv);
        return;
    case ns_r_formerr:
        j->note = xasprintf("FORMERR from %s", srv);
        return;
    case ns_r_notimpl:
        j->note = xasprintf("NOTIMP from %s", srv);
        return;
    default:
        j->note = xasprintf("rcode %u from %s", rcode, srv);
        return;
    }

    j->aa = aa;
    unsigned char qname[DNS_WIRE_MAX];
    size_t off = 12, found = 0;
    int qlen = qdcount == 1 ? dns_reply_name(buf, len, &off, qname) : -1;
    if (qlen < 0 || off + 4 > len) {
        if (rcode == ns_r_nxdomain) {
            /* A bare NXDOMAIN (no question echoed) is still an answer. */
            j->verdict = DNS_REPLY_FINAL;
            j->status = DNS_NXDOMAIN;
            return;
        }
        j->note = xasprintf("malformed reply from %s", srv);
        return;
    }
    off += 4;
    size_t answers_off = off;
    if (rcode == ns_r_nxdomain) {
        /* Skip the answer section (a CNAME chain may precede the NXDOMAIN). */
        struct dns_reply_rr rr;
        bool ok = true;
        for (unsigned i = 0; i < ancount && ok; i++)
            ok = dns_reply_rr_read(buf, len, &off, &rr) == 0;
        j->verdict = DNS_REPLY_FINAL;
        j->status = DNS_NXDOMAIN;
        for (unsigned i = 0; ok && i < nscount; i++) {
            if (dns_reply_rr_read(buf, len, &off, &rr) < 0)
                break;
            if (rr.type == DNS_T_SOA && rr.klass == DNS_REPLY_CLASS_IN && dns_reply_soa(buf, len, &rr, &j->soa) == 0)
                j->ttl = (long)(rr.ttl < j->soa.minimum ? rr.ttl : j->soa.minimum);
        }
        return;
    }
    if (dns_reply_collect(buf, len, answers_off, ancount, qname, qlen, dns_reply_wire_type(type), j, &found) < 0) {
        strlist_free(&j->answers);
        strlist_free(&j->invalid);
        dns_soa_free(&j->soa);
        j->ttl = -1;
        j->note = xasprintf("malformed reply from %s", srv);
        return;
    }
    if (found > 0) {
        j->verdict = DNS_REPLY_FINAL;
        j->status = DNS_OK;
        dns_reply_sort_unique(&j->answers);
        dns_reply_sort_unique(&j->invalid);
        return;
    }
    /* No data: NODATA, unless it is a referral (no SOA, NS records, not
     * authoritative), which says nothing about the name. */
    struct dns_reply_rr rr;
    for (unsigned i = 0; i < ancount; i++)
        if (dns_reply_rr_read(buf, len, &off, &rr) < 0)
            break;
    bool has_ns = false, has_soa = false;
    for (unsigned i = 0; i < nscount; i++) {
        if (dns_reply_rr_read(buf, len, &off, &rr) < 0)
            break;
        has_ns = has_ns || rr.type == DNS_T_NS;
        if (rr.type == DNS_T_SOA && rr.klass == DNS_REPLY_CLASS_IN) {
            has_soa = true;
            if (dns_reply_soa(buf, len, &rr, &j->soa) == 0 && j->ttl < 0)
                j->ttl = (long)(rr.ttl < j->soa.minimum ? rr.ttl : j->soa.minimum);
        }
    }
    if (!aa && has_ns && !has_soa) {
        j->referral = true;
        j->note = xasprintf("referral from %s: not a recursive resolver", srv);
        return;
    }
    j->verdict = DNS_REPLY_FINAL;
    j->status = DNS_NODATA;
}

void dns_soa_free(struct dns_soa *soa)
{
    free(soa->zone);
    free(soa->mname);
    free(soa->rname);
    memset(soa, 0, sizeof(*soa));
}

void dns_reply_free(struct dns_reply *out)
{
    strlist_free(&out->answers);
    strlist_free(&out->invalid);
    dns_soa_free(&out->soa);
    free(out->note);
    memset(out, 0, sizeof(*out));
}
