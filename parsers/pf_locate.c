/* pf_locate - where the Postfix configuration is; see pf_locate.h. */
#include "parsers/pf_locate.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auditor/foundation/xalloc.h"

char *pf_locate_trim(const char *dir)
{
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    return xstrndup(dir, len);
}

int pf_locate_dir(const char *config_dir, char **dir, const char **how, struct diag_list *diags)
{
    const char *given = config_dir;
    *dir = NULL;
    *how = "--postfix-dir";
    if (!given) {
        const char *env = getenv("MAIL_CONFIG");
        if (env && *env) {
            given = env;
            *how = "$MAIL_CONFIG";
        } else {
            /* Not there: not configured. Not knowable (a directory we may
             * not look into): read it, which records why it fails. */
            struct stat st;
            if (stat("/etc/postfix/main.cf", &st) != 0 && (errno == ENOENT || errno == ENOTDIR))
                return 0;
            given = "/etc/postfix";
            *how = "default location";
        }
    }
    if (*given == '\0') {
        diag_add_once(diags, DIAG_ERROR, NULL, 0, "empty Postfix configuration directory name");
        return -1;
    }
    *dir = pf_locate_trim(given);
    return 1;
}

const char *pf_locate_hostname(const struct model_host *host, char buf[256])
{
    if (host && host->hostname)
        return host->hostname;
    if (gethostname(buf, 256) != 0)
        buf[0] = '\0';
    buf[255] = '\0';
    return buf;
}
