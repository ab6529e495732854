/* pf_oracle - running the real postconf on a sample as the oracle of the
 * Postfix parsers: in private UTS, network and mount namespaces whose host
 * name is the case's, whose loopback carries the case's inet_interfaces
 * addresses (postconf checks that they are local) and whose /etc/hosts
 * maps the host names in them (postconf resolves them); and reading what it
 * prints. Shared by the outbound (test_pf_identity) and inbound
 * (test_pf_inbound) oracles.
 */
#ifndef MP_TEST_PF_ORACLE_H
#define MP_TEST_PF_ORACLE_H

#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/strlist.h"
#include "parsers/pf_maincf.h"
#include "parsers/pf_mastercf.h"

/* pf_oracle_setup - the shell code that prepares the namespaces for the
 * configuration (main.cf's inet_interfaces and every service's -o
 * inet_interfaces). When it needs a private hosts file, *tmpdir names the
 * directory holding it (ts_rmtree() and free() it), else NULL. */
char *pf_oracle_setup(const struct pf_maincf *maincf, const struct pf_mastercf *mastercf, const char *host,
                      char **tmpdir);

/* pf_oracle_run - run script after setup in those namespaces with
 * gethostname() returning host; output as ts_run(). 97: the namespaces
 * could not be set up. */
int pf_oracle_run(const char *host, const char *setup, const char *script, char **out, char **err);

/* pf_oracle_quote - s as one single-quoted shell word (fix_shell_quote),
 * appended to sb. */
void pf_oracle_quote(struct strbuf *sb, const char *s);

/* pf_oracle_printed - a value as postconf prints it: runs of " \t\r\n"
 * become one space, leading and trailing ones vanish (pcf_print_line);
 * value may be NULL. Newly allocated. */
char *pf_oracle_printed(const char *value);

/* pf_oracle_overrides - the lines of postconf -P output for service
 * NAME/TYPE ("NAME/TYPE/param = value"), as "param=value" into out. */
void pf_oracle_overrides(const char *pout, const char *name, const char *type, struct strlist *out);

#endif
