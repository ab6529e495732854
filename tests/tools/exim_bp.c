/* exim_bp - print what mta-preflight's Exim reader holds, in the form of
 * `exim -bP` (primary_hostname, disable_ipv6, dns_ipv4_lookup, the
 * transport list, and helo_data/interface of every smtp transport), for
 * comparing with the real Exim by hand.
 *
 * usage: exim_bp [-n HOSTNAME] (-C FILE | -d DEBIAN_DIR)
 * Exit status: 0 read, 1 Exim would refuse the configuration, 2 usage or
 * unreadable. Diagnostics go to stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auditor/foundation/diag.h"
#include "parsers/exim_load.h"

int main(int argc, char **argv)
{
    const char *host = "corpus-host.example.net", *file = NULL, *dir = NULL;
    int c;
    while ((c = getopt(argc, argv, "n:C:d:")) != -1) {
        switch (c) {
        case 'n': host = optarg; break;
        case 'C': file = optarg; break;
        case 'd': dir = optarg; break;
        default: return 2;
        }
    }
    if (!file && !dir) {
        fprintf(stderr, "usage: exim_bp [-n HOSTNAME] (-C FILE | -d DEBIAN_DIR)\n");
        return 2;
    }
    struct diag_list diags = DIAG_LIST_INIT;
    struct exim_loaded ld;
    int rc = exim_load(file, dir, &(struct model_host){ .hostname = host }, &ld, &diags);
    for (size_t i = 0; i < diags.n; i++) {
        char *s = diag_format(&diags.items[i]);
        fprintf(stderr, "%s: %s\n", diag_level_tostr(diags.items[i].level), s);
        free(s);
    }
    int status = rc < 0 ? 2 : ld.cfg.failed ? 1 : 0;
    if (status == 0) {
        const struct exim_config *cfg = &ld.cfg;
        const struct exim_option *o = exim_options_main(cfg, "primary_hostname");
        printf("config = %s\nhow = %s\n", cfg->path, ld.how);
        printf("primary_hostname = %s\n", o ? o->value : host);
        printf("%sdisable_ipv6\n", exim_options_bool(exim_options_main(cfg, "disable_ipv6"), false) ? "" : "no_");
        o = exim_options_main(cfg, "dns_ipv4_lookup");
        printf("dns_ipv4_lookup = %s\n", o ? o->value : "");
        for (size_t i = 0; i < cfg->transports.n; i++)
            printf("%s\n", cfg->transports.items[i].name);
        for (size_t i = 0; i < cfg->transports.n; i++) {
            const struct exim_driver *t = &cfg->transports.items[i];
            const struct exim_option *d = exim_options_find(&t->opts, "driver");
            if (!d || strcmp(d->value, "smtp") != 0)
                continue;
            const struct exim_option *h = exim_options_find(&t->opts, "helo_data");
            const struct exim_option *n = exim_options_find(&t->opts, "interface");
            printf("[%s]\n  helo_data = %s\n  interface = %s\n", t->name, h ? h->value : "$primary_hostname",
                   n ? n->value : "");
        }
    }
    exim_load_free(&ld);
    diag_list_free(&diags);
    return status;
}
