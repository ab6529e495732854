/* finding - the finding table, finding lists and the exit-status rule; see
 * finding.h. The texts are what `mta-preflight explain ID` prints. */
#include "auditor/finding.h"

#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/xalloc.h"

const struct finding_def finding_table[FINDING_COUNT] = {
    { FINDING_BANNER_INVALID, "banner-invalid", FINDING_WARNING,
      "the SMTP banner does not start with a fully qualified host name",
      "The 220 greeting this host sends to every client that connects on port 25 (Postfix "
      "smtpd_banner, Exim smtp_banner) does not begin with a fully qualified domain name: the first "
      "word is a single label, a local name such as localhost, or something that is not a host name.",
      "Scanners (MXToolbox, DNS Spy) and some receivers compare the host name in the greeting with the "
      "PTR of the MX address; RFC 5321 says the greeting starts with the server's domain name, and "
      "postconf(5) advises that smtpd_banner begin with $myhostname. A banner without one reads as a "
      "misconfigured or hidden server.",
      "Start the banner with the host's fully qualified name, the one its MX record and PTR name: "
      "for Postfix set myhostname or smtpd_banner, for Exim smtp_active_hostname or smtp_banner." },
    { FINDING_BANNER_LIVE_DIFFERS, "banner-live-differs", FINDING_INFO,
      "the greeting the running server sends differs from the configured banner",
      "With --connect the listening address was connected to and its 220 greeting read; its host name "
      "or text is not what the configuration says the banner is.",
      "Clients and scanners see the live greeting, not the configuration. A difference means a proxy or "
      "filter in front of the MTA, another daemon on the port, or a configuration change that the "
      "running server has not loaded yet (Postfix needs 'postfix reload' after a master.cf change, Exim "
      "a SIGHUP after any change).",
      "Reload the MTA after changing its configuration (postfix reload, or systemctl reload exim4), or "
      "configure the greeting on the proxy in front of it." },
    { FINDING_BANNER_PTR_MISMATCH, "banner-ptr-mismatch", FINDING_WARNING,
      "the SMTP banner's host name is not the PTR name of the address mail arrives on",
      "A public address this host receives mail on (a port 25 listening address, or an address an MX "
      "of one of its domains points at) has a PTR name that differs from the host name the 220 banner "
      "announces.",
      "This is the \"Reverse DNS does not match SMTP banner\" warning of MXToolbox and DNS Spy: they "
      "connect to the MX, read the greeting and compare its host name with the PTR of the address. "
      "Receivers do not reject mail for it, but reputation systems and auditors count it against the "
      "server, and it usually means the banner, the PTR or the MX was set up for another name.",
      "Make the three agree: announce the PTR name in the banner (Postfix smtpd_banner or myhostname, "
      "Exim smtp_active_hostname), or ask the address owner for a PTR that names the banner's host "
      "(which must resolve back to the address)." },
    { FINDING_BIND_NOT_LOCAL, "bind-not-local", FINDING_CRITICAL,
      "a configured bind address is not an address of this host",
      "The MTA is told to send from an address (Postfix smtp_bind_address or smtp_bind_address6, "
      "the single inet_interfaces address, Exim's interface option) that no interface of this host "
      "carries, so bind() fails with \"Cannot assign requested address\".",
      "Postfix logs a warning and, unless smtp_bind_address_enforce is set, sends from whatever "
      "address the kernel picks: receivers then see an address whose PTR and SPF nobody planned. "
      "With smtp_bind_address_enforce = yes, or with Exim, every delivery attempt on that family "
      "fails and mail is deferred.",
      "Set the bind address to an address this host really has (ip -brief address shows them), "
      "or remove the setting to let the kernel choose. With Postfix 3.7 or newer also set "
      "smtp_bind_address_enforce = yes so that a wrong address defers mail instead of leaking it "
      "from another address." },
    { FINDING_CONFIG_ERROR, "config-error", FINDING_CRITICAL,
      "the configuration has an error the MTA itself would refuse",
      "A configuration file contains something the MTA would not accept: Postfix would stop with a "
      "fatal error, Exim would refuse to start or to deliver. The finding names the file and line.",
      "An MTA that does not start or cannot deliver sends no mail at all; every identity derived from "
      "this configuration is uncertain until the error is fixed.",
      "Correct the line named in the finding, then check it with the MTA itself: postconf -n "
      "(Postfix) or exim -bV -C FILE (Exim)." },
    { FINDING_CONFIG_UNREADABLE, "config-unreadable", FINDING_UNKNOWN,
      "a configuration path cannot be read",
      "A configuration file or directory that was given or found cannot be read: it does not exist "
      "(when given explicitly), permission is denied, it is not a directory or a file where one is "
      "expected, or reading it failed. The finding names the path and the operating system's error. "
      "Nothing is known about the identities it defines.",
      "An identity that cannot be read cannot be audited: the MTA may be sending with any name from any "
      "address. This is not an error of the configuration itself (the MTA, running as root, may read "
      "it fine), so it is unknown rather than critical.",
      "Run the audit as a user who can read the configuration (root, as the MTA does), or point it at "
      "the right place with --postfix-dir DIR or --exim-config FILE." },
    { FINDING_DNS_FAILURE, "dns-failure", FINDING_UNKNOWN,
      "a DNS lookup needed for a verdict timed out or failed",
      "A lookup this audit needs (a PTR, or the A/AAAA of a PTR or EHLO name) answered with a "
      "timeout, SERVFAIL, REFUSED or another error. The verdict that depends on it is unknown: it is "
      "neither passed nor failed.",
      "Receivers see the same failure: Postfix's reject_unknown_client_hostname and "
      "reject_unknown_reverse_client_hostname always answer 450 on a temporary DNS error, so mail is "
      "deferred; rspamd scores RDNS_FCRDNS_DNSFAIL. A broken reverse zone (lame delegation, "
      "unreachable name servers) delays mail everywhere.",
      "Query the name yourself (dig -x ADDRESS, dig NAME A) from outside your network. If the "
      "authoritative servers are broken, have their operator fix them; if only this host's resolver "
      "failed, run the audit again or point it at another resolver with --dns-server." },
    { FINDING_HELO_ADDRESS_MISMATCH, "helo-address-mismatch", FINDING_WARNING,
      "the EHLO name resolves, but not to this source address",
      "The name the transport sends in EHLO has address records, but none of the address family of "
      "the connection equals the source address.",
      "Exim's verify = helo passes only if the EHLO name equals the client's PTR name or resolves to "
      "the client address; Haraka's helo.checks and SpamAssassin's HELO rules compare the two too. "
      "RFC 5321 forbids refusing mail for this alone, so it is a scoring signal, not a reject.",
      "Either send the name that belongs to this address in EHLO (usually the forward-confirmed PTR "
      "name), or add the source address to the EHLO name's A (IPv4) or AAAA (IPv6) records." },
    { FINDING_HELO_DYNAMIC, "helo-dynamic", FINDING_UNKNOWN,
      "the EHLO name is computed at delivery time and could not be evaluated",
      "The EHLO name comes from an expansion (Exim ${...}, for example Debian's "
      "REMOTE_SMTP_HELO_FROM_DNS, which looks up the PTR of $sending_ip_address) or a lookup table, "
      "and is only known when a message is delivered. The EHLO checks could not run.",
      "Receivers judge the name that is actually sent: a lookup that fails at delivery time falls back "
      "to another name, or fails the delivery.",
      "Set a static EHLO name (Exim helo_data, Debian REMOTE_SMTP_HELO_DATA, Postfix smtp_helo_name), "
      "or audit the name the expansion produces with --helo NAME." },
    { FINDING_HELO_INVALID, "helo-invalid", FINDING_CRITICAL,
      "the EHLO name is not a fully qualified domain name",
      "The EHLO name has no dot, is not a valid host name, is localhost or under .local or "
      ".localdomain, or is an address literal that is not the source address of the connection.",
      "RFC 5321 requires a fully qualified name or an address literal of the client. Postfix receivers "
      "with reject_non_fqdn_helo_hostname or reject_invalid_helo_hostname refuse such mail; rspamd "
      "scores a name without a dot or under .local/.localdomain (HFILTER_HELO_5), a non-FQDN "
      "(HFILTER_HELO_NOT_FQDN) and a bare or private IP (HFILTER_HELO_BAREIP, HFILTER_HELO_BADIP); "
      "Haraka's helo.checks flags literal_mismatch.",
      "Announce a fully qualified name that has an A (and AAAA) record pointing at this host and that "
      "is the PTR name of the source address, for example mail.example.com." },
    { FINDING_HELO_PTR_MISMATCH, "helo-ptr-mismatch", FINDING_WARNING,
      "the EHLO name differs from every PTR name of the source",
      "No PTR name of the source address equals the EHLO name (compared case-insensitively, a trailing "
      "dot ignored).",
      "Best practice, not a hard rule: Microsoft's own outbound hosts do not match everywhere. But "
      "Exim's verify = helo accepts a HELO equal to the client's PTR name, several spam filters add "
      "points when they differ, and a matching pair is the easiest identity to keep consistent.",
      "Make them equal: either announce the (forward-confirmed) PTR name in EHLO, or have the PTR of "
      "the source set to the EHLO name." },
    { FINDING_HELO_UNRESOLVABLE, "helo-unresolvable", FINDING_CRITICAL,
      "the EHLO name has neither an A nor an AAAA record",
      "The name the transport announces in EHLO does not resolve to any address.",
      "Postfix receivers with reject_unknown_helo_hostname refuse mail whose HELO name has no A or MX "
      "record; rspamd scores HFILTER_HELO_IP_A for a name with neither A nor AAAA; Exim's verify = "
      "helo fails unless the name equals the PTR.",
      "Add an A record (and an AAAA record if the host sends over IPv6) for the EHLO name pointing at "
      "this host's source addresses, or announce a name that already has them." },
    { FINDING_INBOUND_PTR_MISSING, "inbound-ptr-missing", FINDING_WARNING,
      "an address an MX points at has no forward-confirmed PTR",
      "A public address this host listens on for mail, and that an MX record of one of its domains "
      "points at, has no PTR record, or none whose name resolves back to the address.",
      "Scanners report a missing reverse DNS for the MX; some senders' and filters' checks and every "
      "banner comparison need it; and since the same address usually also sends mail, receivers that "
      "require a forward-confirmed PTR of the sender (Gmail, Microsoft, many others) defer or reject "
      "its outgoing mail too.",
      "Ask whoever owns the address (the hosting or access provider, often in its control panel) for a "
      "PTR naming the host's fully qualified name, and make that name resolve back to the address." },
    { FINDING_IPV6_WITHOUT_PTR, "ipv6-without-ptr", FINDING_CRITICAL,
      "IPv6 delivery is enabled but the IPv6 source has no confirmed PTR",
      "The transport may deliver over IPv6, the host has an IPv6 route, and the IPv6 source address "
      "has no PTR record, or no PTR name that resolves back to it (AAAA).",
      "Gmail answers 550-5.7.25 / 421-4.7.23 (and historically 550-5.7.1 \"does not meet IPv6 sending "
      "guidelines\"); Exchange Online answers 450 4.7.25 for an IPv6 sender without reverse DNS. Exim "
      "tries IPv6 first by default and Postfix with smtp_address_preference = any picks IPv6 for about "
      "half of the deliveries to dual-stack receivers, so this hits real mail even when IPv4 is fine.",
      "Ask whoever owns the IPv6 address (the hosting or access provider) to set its PTR to the EHLO "
      "name, and add that name's AAAA record. Until then, restrict the transport to IPv4: Postfix "
      "postconf -P 'smtp/unix/inet_protocols=ipv4'; Exim dns_ipv4_lookup = * or disable_ipv6 = true. "
      "smtp_address_preference = ipv4 is not a fix: Postfix still uses IPv6 when IPv4 fails." },
    { FINDING_MX_MISSING, "mx-missing", FINDING_WARNING,
      "the domain has no MX record, or a null MX",
      "The DNS has no MX record for a domain this host receives mail for (senders then fall back to "
      "the domain's own A and AAAA records), or it has a null MX (MX 0 .), which says the domain "
      "accepts no mail at all (RFC 7505).",
      "Without an MX, mail reaches the host only if the domain's A/AAAA point at it, and scanners and "
      "some senders treat the domain as not receiving mail; with a null MX every sender bounces mail "
      "to the domain at once.",
      "Publish an MX record in the domain's zone that names this host's fully qualified name (which "
      "must have A/AAAA records), or take the domain out of the MTA's list of local domains." },
    { FINDING_MX_NOT_THIS_HOST, "mx-not-this-host", FINDING_INFO,
      "no MX target of the domain is this host",
      "The domain's MX records name hosts whose addresses are none of the addresses this host "
      "receives mail on.",
      "Mail for the domain goes elsewhere first: to a filtering service, a backup MX or another "
      "server. That may be intended; if this host should receive the domain's mail directly, its MX "
      "is wrong and the banner and PTR of the real MX are what receivers check.",
      "If this host should receive the mail, point the domain's MX at its fully qualified name; "
      "otherwise nothing needs to change here." },
    { FINDING_NO_MTA_CONFIG, "no-mta-config", FINDING_UNKNOWN,
      "no Postfix or Exim configuration was found",
      "Neither a Postfix main.cf nor an Exim runtime configuration was found at the default locations "
      "or where the options pointed, so there is no identity to audit.",
      "Nothing can be said about the identity receivers will see.",
      "Point the audit at the configuration: --postfix-dir DIR or --exim-config FILE." },
    { FINDING_NO_ROUTE, "no-route", FINDING_CRITICAL,
      "the transport may use no address family that has a route to the Internet",
      "The kernel has no route to the Internet for any address family the transport may use (or the "
      "audit was told with --family that the host has none of them). A family without a route on a "
      "host that has the other is normal (an IPv4-only host) and not a finding; this is the case where "
      "none is left.",
      "No receiver sees anything: every delivery attempt fails with \"Network is unreachable\" and mail "
      "stays in the queue until it bounces.",
      "Check the host's routes (ip route get 8.8.8.8, ip -6 route get 2001:4860:4860::8888) and the "
      "transport's address families (Postfix inet_protocols, Exim disable_ipv6 and dns_ipv4_lookup): "
      "a transport restricted to IPv6 on an IPv4-only host cannot deliver." },
    { FINDING_PTR_GENERIC, "ptr-generic", FINDING_WARNING,
      "the PTR name looks like a provider default or dynamic pool name",
      "The PTR name of the source looks generic: it embeds the IP address, carries access or pool "
      "words (dsl, cable, dhcp, dyn, pool, ppp, client...), is a cloud or hosting provider's default "
      "(ec2-...compute.amazonaws.com, static.IP..., vpsNNN..., your-server.de), or is a bare domain. "
      "The finding names the rule that fired.",
      "SpamAssassin scores RDNS_DYNAMIC (__RDNS_DYNAMIC_IPADDR, _SPLIT_IP, _HEXIP, _DHCP), rspamd "
      "HFILTER_HOSTNAME_1..5 by word weight, Haraka's fcrdns flags generic names, Cloudmark calls "
      "apex and hosted-by names a \"generic or default pattern\", and the Sender Score rDNS policy "
      "wants a name under the operator's own domain. Receivers weigh these hits; one alone is "
      "rarely fatal, but they add up with other signals.",
      "Ask the owner of the address to set the PTR to your mail host's name (for example "
      "mail.example.com) and make sure that name resolves back to the address." },
    { FINDING_PTR_MISSING, "ptr-missing", FINDING_CRITICAL,
      "the IPv4 source has no PTR record",
      "The reverse lookup of the IPv4 source address answered NXDOMAIN or NODATA: the address has no "
      "PTR name.",
      "Gmail (421-4.7.23, 550-5.7.25), Yahoo and Microsoft require a PTR whose name resolves back to "
      "the address; Postfix's reject_unknown_reverse_client_hostname and reject_unknown_client_hostname "
      "and Exim's verify = reverse_host_lookup refuse the client; SpamAssassin scores RDNS_NONE and "
      "rspamd RDNS_NONE and HFILTER_HOSTNAME_UNKNOWN.",
      "Ask whoever owns the address (the hosting or access provider; only they can change the "
      "in-addr.arpa zone) to set its PTR to the EHLO name, and make sure that name's A record is the "
      "address." },
    { FINDING_PTR_MULTIPLE, "ptr-multiple", FINDING_WARNING,
      "the source has more than one PTR name",
      "The reverse lookup of the source address returned several PTR records.",
      "Receivers usually take one of them, in no fixed order, and check only that one: FCrDNS and "
      "HELO comparisons then pass or fail at random. Large PTR sets can also exceed a UDP answer.",
      "Keep a single PTR record, the name the transport announces in EHLO, and remove the others." },
    { FINDING_PTR_PROPAGATING, "ptr-propagating", FINDING_INFO,
      "the authoritative servers already serve a new PTR; the resolver still has the old one cached",
      "With --authoritative the reverse zone's own name servers were asked directly, and they agree on a "
      "PTR answer that differs from what the resolver returned: a change (a new PTR, a removed one) is "
      "live at the source, and the resolver's copy is older. The message says how long the resolver may "
      "keep its copy (the TTL it reported), and the PTR findings of the audit rest on the servers' answer.",
      "Receivers use their own resolvers, which may hold the old answer for up to the record's TTL (or, "
      "for a PTR that did not exist, the zone's negative-caching TTL from its SOA). Until then some of "
      "them still see the old name, or no name.",
      "Nothing to change: wait until the cached answer expires. Run the audit with --wait SECONDS to "
      "watch the authoritative servers and get the final verdict when the change is live." },
    { FINDING_PTR_SERVERS_DISAGREE, "ptr-servers-disagree", FINDING_WARNING,
      "the reverse zone's authoritative servers give different PTR answers",
      "With --authoritative every name server of the reverse zone was asked directly, and those that "
      "answered did not give the same PTR answer: some still serve an older copy of the zone (a zone "
      "transfer that has not happened or fails), or they are not fed from the same data.",
      "A receiver's resolver picks one of the servers at random, so receivers see different names for "
      "the same address, and an FCrDNS check passes or fails by chance. A change made in the provider's "
      "panel that reaches only some servers looks like this for a while.",
      "Wait a few minutes and run the audit again (the secondary servers may still be transferring the "
      "zone). If it persists, tell the owner of the reverse zone (the SOA contact in the message): their "
      "secondary servers do not follow the primary." },
    { FINDING_PTR_UNCONFIRMED, "ptr-unconfirmed", FINDING_CRITICAL,
      "no PTR name of the IPv4 source resolves back to it",
      "The source address has a PTR, but no PTR name has an A record equal to the address: "
      "forward-confirmed reverse DNS (FCrDNS) fails.",
      "Gmail's sender guidelines require that the PTR name's address record matches the sending IP "
      "(550-5.7.25); Yahoo and Microsoft require valid forward and reverse DNS; Postfix's "
      "reject_unknown_client_hostname and Exim's verify = reverse_host_lookup fail; a Postfix receiver "
      "logs the client as \"unknown\", which SpamAssassin then scores as RDNS_NONE; rspamd scores "
      "HFILTER_HOSTNAME_UNKNOWN.",
      "Add the source address to the PTR name's A record, or have the PTR changed to a name whose A "
      "record is the address (the EHLO name)." },
    { FINDING_RELAY_HOST, "relay-host", FINDING_INFO,
      "the transport sends through a smarthost",
      "The transport delivers all its mail to a smarthost, not to the recipients' MX hosts. "
      "Receivers see the smarthost's address and name, not this host's.",
      "This host's own PTR and EHLO relations matter only to the smarthost, which usually "
      "authenticates its clients instead; the findings about them are shown as info.",
      "None needed here; audit the smarthost itself if you run it." },
    { FINDING_RESOLVER_BROKEN, "resolver-broken", FINDING_UNKNOWN,
      "the resolver answers but lies",
      "Asked for the root zone's name servers, the resolver answered NXDOMAIN, or NOERROR without NS "
      "records. No honest recursive resolver does that: it is a captive portal, a filtering resolver or "
      "a broken one. Every verdict that rests on a negative answer (NXDOMAIN or NODATA) from it is "
      "unknown, not a failure. A REFUSED or SERVFAIL to that question is not enough: an authoritative-only "
      "server given with --dns-server refuses it, and its answers for its own zones stay valid.",
      "Receivers use their own resolvers, so what this host's resolver says about your PTR and "
      "forward records is not what they see; trusting it would report missing records that exist.",
      "Run the audit with a resolver that answers truthfully (--dns-server ADDRESS), and fix this host's "
      "resolver configuration (/etc/resolv.conf): the MTA uses it too, for MX lookups." },
    { FINDING_SOURCE_NOT_PUBLIC, "source-not-public", FINDING_UNKNOWN,
      "the source address is not globally routable",
      "The source address the kernel picks is private (RFC 1918), shared (100.64.0.0/10), "
      "unique-local, link-local or loopback: a NAT device in front of this host rewrites it, and "
      "receivers see the public address instead. The PTR checks of this family could not run. "
      "On the inbound side the same holds for an SMTP listener on port 25 that listens on private "
      "addresses only: senders reach it through a public address forwarded to it, whose PTR the "
      "banner is compared with.",
      "Receivers judge the PTR of the public address the NAT uses, which this host cannot see; "
      "scanners and receivers compare the banner with the PTR of the public address an MX points at.",
      "Run the audit again with --source-ip PUBLIC (the address receivers see, e.g. from your "
      "firewall's SNAT or port-forwarding rule) to make it exact; for Postfix, proxy_interfaces = "
      "PUBLIC also tells Postfix that it receives mail there (its mail-loop detection needs that when "
      "an MX points at the public address)." },
    { FINDING_SOURCE_TEMPORARY, "source-temporary", FINDING_CRITICAL,
      "the IPv6 source is a temporary (privacy) or deprecated address",
      "The kernel picks a temporary IPv6 address (RFC 8981 privacy extensions) or a deprecated one as "
      "the source. Such addresses change every few hours and never have a PTR.",
      "Every receiver that requires a PTR for IPv6 (Gmail, Microsoft, most European providers) "
      "refuses mail from an address that has none, and the address keeps changing.",
      "Turn off temporary addresses on the interface (sysctl net.ipv6.conf.IF.use_tempaddr=0) or bind "
      "the transport to the stable address (Postfix smtp_bind_address6, Exim interface), and give that "
      "address a PTR." },
};

const struct finding_def *finding_def_get(enum finding_id id)
{
    return &finding_table[id];
}

bool finding_id_inbound(enum finding_id id)
{
    switch (id) {
    case FINDING_BANNER_INVALID:
    case FINDING_BANNER_LIVE_DIFFERS:
    case FINDING_BANNER_PTR_MISMATCH:
    case FINDING_INBOUND_PTR_MISSING:
    case FINDING_MX_MISSING:
    case FINDING_MX_NOT_THIS_HOST:
        return true;
    default:
        return false;
    }
}

const char *finding_id_tostr(enum finding_id id)
{
    return finding_table[id].name;
}

static int finding_def_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const struct finding_def *)elem)->name);
}

int finding_id_fromstr(const char *s)
{
    if (!s)
        return -1;
    const struct finding_def *d =
        bsearch(s, finding_table, FINDING_COUNT, sizeof(finding_table[0]), finding_def_cmp);
    return d ? (int)d->id : -1;
}

static const char *const finding_severity_names[] = { "info", "unknown", "warning", "critical" };

const char *finding_severity_tostr(enum finding_severity sev)
{
    return finding_severity_names[sev];
}

int finding_severity_fromstr(const char *s)
{
    for (int i = 0; s && i < 4; i++)
        if (strcmp(s, finding_severity_names[i]) == 0)
            return i;
    return -1;
}

static char *finding_dup(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

struct finding *finding_add(struct finding_list *list, enum finding_id id, const char *identity,
                            int family, const char *address, const char *hostname,
                            const char *message)
{
    XGROW(list->items, list->cap, list->n + 1);
    struct finding *f = &list->items[list->n++];
    memset(f, 0, sizeof(*f));
    f->id = id;
    f->severity = finding_table[id].severity;
    f->identity = finding_dup(identity);
    f->family = family;
    f->address = finding_dup(address);
    f->hostname = finding_dup(hostname);
    f->message = finding_dup(message ? message : finding_table[id].title);
    return f;
}

struct finding *finding_add_copy(struct finding_list *list, const struct finding *src)
{
    struct finding *f = finding_add(list, src->id, src->identity, src->family, src->address, src->hostname,
                                    src->message);
    f->severity = src->severity;
    for (size_t i = 0; i < src->fixes.n; i++) {
        const struct fix *x = &src->fixes.items[i];
        fix_add_copy(&f->fixes, x);
    }
    return f;
}

size_t finding_list_count(const struct finding_list *list, enum finding_id id)
{
    size_t n = 0;
    for (size_t i = 0; i < list->n; i++)
        n += list->items[i].id == id;
    return n;
}

const struct finding *finding_list_find(const struct finding_list *list, enum finding_id id,
                                        const char *identity, int family)
{
    for (size_t i = 0; i < list->n; i++) {
        const struct finding *f = &list->items[i];
        if (f->id != id)
            continue;
        if (identity && (!f->identity || strcmp(f->identity, identity) != 0))
            continue;
        if (family != -2 && f->family != family)
            continue;
        return f;
    }
    return NULL;
}

void finding_list_free(struct finding_list *list)
{
    for (size_t i = 0; i < list->n; i++) {
        struct finding *f = &list->items[i];
        free(f->identity);
        free(f->address);
        free(f->hostname);
        free(f->message);
        fix_list_free(&f->fixes);
    }
    free(list->items);
    memset(list, 0, sizeof(*list));
}

enum finding_status finding_status_of(const struct finding_list *list)
{
    int worst = -1;
    for (size_t i = 0; i < list->n; i++)
        if ((int)list->items[i].severity > worst)
            worst = (int)list->items[i].severity;
    switch (worst) {
    case FINDING_CRITICAL:
        return FINDING_STATUS_CRITICAL;
    case FINDING_WARNING:
        return FINDING_STATUS_WARNING;
    case FINDING_UNKNOWN:
        return FINDING_STATUS_UNKNOWN;
    default:
        return FINDING_STATUS_OK;
    }
}

const char *finding_status_tostr(enum finding_status status)
{
    switch (status) {
    case FINDING_STATUS_WARNING:
        return "warning";
    case FINDING_STATUS_CRITICAL:
        return "critical";
    case FINDING_STATUS_UNKNOWN:
        return "unknown";
    case FINDING_STATUS_OK:
        break;
    }
    return "ok";
}
