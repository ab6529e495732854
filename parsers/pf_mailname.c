/* pf_mailname - Debian's myorigin = /etc/mailname; see pf_mailname.h. */
#include "parsers/pf_mailname.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/hostname.h"
#include "auditor/foundation/slurp.h"
#include "auditor/foundation/xalloc.h"

/* More than any host name; a bound on what is read from a hostile file. */
#define PF_MAILNAME_MAX (64u * 1024)

static int pf_mailname_isspace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

void pf_mailname_read(const struct pf_scope *scope, const struct model_host *host, char **name,
                      struct model_origin *origin, struct diag_list *diags)
{
    *name = NULL;
    struct pf_value v = PF_VALUE_INIT;
    if (pf_scope_get(scope, "myorigin", &v) < 0 || !v.value || v.value[0] != '/') {
        pf_value_free(&v); /* a macro error is reported where myorigin's users are */
        return;
    }
    const char *path = model_host_path(host, v.value);
    size_t len = 0;
    const char *step = "open";
    char *text = slurp_file(path, PF_MAILNAME_MAX, &len, &step);
    if (!text) {
        if (errno == ENOENT || errno == ENOTDIR)
            diag_add(diags, DIAG_ERROR, v.file, v.line, "%s: cannot open file: %s", path, strerror(errno));
        else
            diag_add_unreadable(diags, v.file, v.line, path, step, errno);
        pf_value_free(&v);
        return;
    }
    const char *s = text;
    const char *eol = memchr(text, '\n', len);
    const char *e = eol ? eol : text + strlen(text);
    while (s < e && pf_mailname_isspace(*s))
        s++;
    while (e > s && pf_mailname_isspace(e[-1]))
        e--;
    char *first = xstrndup(s, (size_t)(e - s));
    if (!*first) {
        diag_add(diags, DIAG_ERROR, v.file, v.line, "myorigin file %s is empty", path);
    } else if (hostname_is_fqdn(first)) {
        *name = first;
        first = NULL;
        model_origin_file(origin, path, 1);
    }
    free(first);
    free(text);
    pf_value_free(&v);
}
