/* mta_version - the version of the installed Postfix, asked from its own
 * postconf (`postconf -d -h mail_version`), within a time bound.
 *
 * Some fixes depend on it (smtp_bind_address_enforce exists from 3.7 on).
 * postconf -d prints built-in defaults and reads no configuration of ours. */
#ifndef MP_MTA_VERSION_H
#define MP_MTA_VERSION_H

/* mta_version_postfix - "3.7.11", newly allocated, or NULL when postconf is
 * not installed, fails, prints something that is not a version, or does not
 * finish within timeout_ms (it is then killed). postconf is looked up in
 * /usr/sbin, /usr/local/sbin and /usr/bin. */
char *mta_version_postfix(unsigned timeout_ms);

#endif
