/* dns_reply - what one raw DNS reply means for the question asked: a final
 * answer, or a reason to ask the next resolver.
 *
 * The reply is read here, byte by byte, and not by c-ares's parsers: c-ares
 * 1.18 rejects a whole answer when one name in it holds a character it
 * refuses, and cannot tell a referral or a reflected query from NODATA.
 * Everything is bounds-checked; a compression pointer must point back, at
 * most 64 are followed per name, and a name is at most 255 bytes, so any
 * input ends in a verdict.
 *
 * Verdicts:
 * - final: NOERROR with at least one record of the asked type owned by the
 *   question's name or a name on its CNAME chain (ok); NXDOMAIN; NOERROR
 *   with none (nodata), unless it is a referral.
 * - fail (ask the next resolver): the QR bit clear (a reflected query), a
 *   referral (NOERROR, AA clear, no record, NS and no SOA in the authority
 *   section: an authoritative-only server), SERVFAIL, REFUSED, FORMERR,
 *   NOTIMP, any other rcode, or a malformed reply. The note says which, and
 *   names the server ("referral from 192.0.2.53:53: not a recursive
 *   resolver").
 * Names (PTR, NS): one whose labels hold only letters, digits, '-' and '_'
 * is an answer, lowercase, without the trailing dot; any other goes to
 * `invalid` as received, escaped for printing as hostname_escape() does,
 * with a NUL or a dot inside a label written \x00 and \x2e; the root is
 * ".". Addresses (A, AAAA) are in inet_ntop() form; a record of the wrong
 * size makes the reply malformed. Both lists are sorted and unique.
 * SOA questions: an SOA owned by the question's name (or its CNAME chain)
 * in the answer is ok (answers hold its MNAME); otherwise the SOA of the
 * authority section tells the zone the name is in (nodata or nxdomain).
 * TTLs: see dns_result.ttl.
 */
#ifndef MP_DNS_REPLY_H
#define MP_DNS_REPLY_H

#include <stddef.h>

#include "auditor/foundation/strlist.h"
#include "probes/dns.h"

enum dns_reply_verdict { DNS_REPLY_FINAL, DNS_REPLY_FAIL };

struct dns_reply {
    enum dns_reply_verdict verdict;
    enum dns_status status;  /* final: OK, NXDOMAIN, NODATA; fail: SERVFAIL, REFUSED, ERROR */
    struct strlist answers;  /* final OK only */
    struct strlist invalid;  /* final OK only (PTR, NS) */
    long ttl;                /* final: see dns_result.ttl; -1 unknown */
    struct dns_soa soa;      /* final: the SOA of the answer (SOA questions) or of the authority
                                section (negative answers); zone NULL when none */
    bool aa;                 /* the AA bit */
    bool referral;           /* fail: it was a referral */
    char *note;              /* fail only: what the server did, naming it */
};

/* DNS class IN, for the query. */
#define DNS_REPLY_CLASS_IN 1

/* dns_reply_wire_type - the RR type number on the wire for type. */
unsigned dns_reply_wire_type(enum dns_type type);

/* dns_reply_judge - judge the reply buf (len bytes, from server, the text
 * used in notes) to a question of type. out is overwritten; release it with
 * dns_reply_free. */
void dns_reply_judge(const unsigned char *buf, size_t len, enum dns_type type, const char *server,
                     struct dns_reply *out);

/* dns_reply_free - release what out holds (safe on a zeroed struct). */
void dns_reply_free(struct dns_reply *out);

/* dns_reply_sort_unique - sort list (strcmp) and drop duplicates. */
void dns_reply_sort_unique(struct strlist *list);

#endif
