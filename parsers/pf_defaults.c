/* pf_defaults - Postfix built-in defaults; see pf_defaults.h. */
#include "parsers/pf_defaults.h"

#include <stdlib.h>
#include <string.h>

/* Keep sorted by name (strcmp order): pf_defaults_find searches it. */
static const struct pf_default pf_defaults[] = {
    { "alternate_config_directories", "" },
    { "compatibility_level", "0" },
    { "default_transport", "smtp" },
    { "disable_dns_lookups", "no" },
    { "fallback_relay", "" },
    { "inet_interfaces", "all" },
    { "inet_protocols", "all" },
    { "lmtp_bind_address", "" },
    { "lmtp_bind_address6", "" },
    { "mail_name", "Postfix" },
    { "mail_version", "3.7.11" },
    { "master_service_disable", "" },
    { "multi_instance_directories", "" },
    { "multi_instance_enable", "no" },
    { "multi_instance_name", "" },
    { "mydestination", "$myhostname, localhost.$mydomain, localhost" },
    { "mydomain", NULL },
    { "myhostname", NULL },
    { "myorigin", "$myhostname" },
    { "postscreen_greet_banner", "$smtpd_banner" },
    { "proxy_interfaces", "" },
    { "relay_transport", "relay" },
    { "relayhost", "" },
    { "rewrite_service_name", "rewrite" },
    { "sender_dependent_default_transport_maps", "" },
    { "sender_dependent_relayhost_maps", "" },
    { "smtp_address_preference", "any" },
    { "smtp_bind_address", "" },
    { "smtp_bind_address6", "" },
    { "smtp_bind_address_enforce", "no" },
    { "smtp_dns_support_level", "" },
    { "smtp_fallback_relay", "$fallback_relay" },
    { "smtp_helo_name", "$myhostname" },
    { "smtp_host_lookup", "dns" },
    { "smtp_tcp_port", "smtp" },
    { "smtpd_banner", "$myhostname ESMTP $mail_name" },
    { "smtpd_service_name", "smtpd" },
    { "smtpd_tls_wrappermode", "no" },
    { "syslog_name", "${multi_instance_name?{$multi_instance_name}:{postfix}}" },
    { "transport_maps", "" },
    { "virtual_alias_domains", "$virtual_alias_maps" },
    { "virtual_alias_maps", "$virtual_maps" },
    { "virtual_mailbox_domains", "$virtual_mailbox_maps" },
    { "virtual_mailbox_maps", "" },
    { "virtual_maps", "" },
};

static int pf_defaults_cmp(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const struct pf_default *)elem)->name);
}

const struct pf_default *pf_defaults_find(const char *name)
{
    return bsearch(name, pf_defaults, sizeof(pf_defaults) / sizeof(pf_defaults[0]), sizeof(pf_defaults[0]),
                   pf_defaults_cmp);
}

const struct pf_default *pf_defaults_table(size_t *count)
{
    *count = sizeof(pf_defaults) / sizeof(pf_defaults[0]);
    return pf_defaults;
}
