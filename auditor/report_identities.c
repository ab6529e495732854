/* report_identities - table and JSON output of the identities command; see
 * report_identities.h.
 *
 * The table shows one row per identity, grouped by configuration, so that an
 * admin sees at a glance which name and source each outbound path uses; the
 * lines under it say where each value came from.
 *
 * The "Inbound" section after them shows the receiving side the same way:
 * each listener with its values, each value's origin on the line under it,
 * then the domains grouped by the list line they come from.
 *
 * Every line fits RI_WIDTH columns (a terminal's 80). A table too wide
 * first moves the columns whose value is the same in every row to lines
 * above it; when it is still too wide, each identity is shown as a block of
 * labelled lines instead. Long lines wrap at spaces, with their
 * continuation indented under the text they continue. A word longer than a
 * line (a long path or id) is cut after a '/', ':' or ',' where possible. */
#include "auditor/report_identities.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/identity_json.h"
#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/term.h"
#include "auditor/foundation/xalloc.h"

#define RI_BOLD "\033[1m"
#define RI_DIM "\033[2m"
#define RI_RED "\033[31m"
#define RI_YELLOW "\033[33m"
#define RI_RESET "\033[0m"
#define RI_WIDTH 80
/* The value column of the block layout: two spaces, the widest header, two. */
#define RI_LABEL_COLS 15

/* The table's columns. Families have none: a family that is off shows as
 * "(off)" in its source column. */
enum { RI_COL_TRANSPORT, RI_COL_EHLO, RI_COL_IPV4, RI_COL_IPV6, RI_COL_PREFER, RI_COL_RELAY, RI_NCOLS };

static const char *const ri_headers[RI_NCOLS] = {"TRANSPORT", "EHLO NAME", "IPV4 SOURCE", "IPV6 SOURCE", "PREFER",
                                                  "RELAY"};

static char *ri_escaped(const char *s)
{
    struct strbuf sb = STRBUF_INIT;
    term_escape(&sb, s);
    return strbuf_detach(&sb);
}

/* ri_csi - length of the colour escape (ESC [ ... final byte) at s, else 0.
 * Text from outside never holds ESC (term_escape), so every one is ours. */
static size_t ri_csi(const char *s)
{
    if (s[0] != '\033' || s[1] != '[')
        return 0;
    size_t n = 2;
    while (s[n] && !(s[n] >= 0x40 && s[n] <= 0x7e))
        n++;
    return s[n] ? n + 1 : n;
}

/* ri_cols - terminal columns of the first len bytes of s: colour escapes
 * take none, a UTF-8 sequence takes one. */
static size_t ri_cols(const char *s, size_t len)
{
    size_t cols = 0;
    for (size_t i = 0; i < len;) {
        size_t csi = ri_csi(s + i);
        if (csi) {
            i += csi;
            continue;
        }
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            cols++;
        i++;
    }
    return cols;
}

/* ri_cut - how many bytes of the word w (len bytes) to put on a line with
 * room for avail columns: up to and including the last '/', ':' or ',' that
 * fits when that keeps at least a third of the room used, else the last '.'
 * (a host name) on the same terms, else as much as fits; never inside a
 * colour escape or a UTF-8 sequence, never nothing. */
static size_t ri_cut(const char *w, size_t len, size_t avail)
{
    size_t cols = 0, fit = 0, brk = 0, dot = 0;
    for (size_t i = 0; i < len;) {
        size_t step = ri_csi(w + i);
        size_t width = 0;
        if (!step) {
            step = 1;
            while (i + step < len && ((unsigned char)w[i + step] & 0xc0) == 0x80)
                step++;
            width = 1;
        }
        if (cols + width > avail)
            break;
        cols += width;
        i += step;
        fit = i;
        if (width && (w[i - 1] == '/' || w[i - 1] == ':' || w[i - 1] == ','))
            brk = i;
        if (width && w[i - 1] == '.')
            dot = i;
    }
    if (brk && ri_cols(w, brk) * 3 >= avail)
        return brk;
    if (dot && ri_cols(w, dot) * 3 >= avail)
        return dot;
    return fit ? fit : (len ? 1 : 0);
}

/* ri_line - append one logical line (no newline in it) wrapped to RI_WIDTH
 * columns: it breaks at spaces (the spaces at a break are dropped, all others
 * kept), continuation lines start with indent spaces. */
static void ri_line(struct strbuf *sb, const char *line, size_t indent)
{
    size_t col = 0;
    bool fresh = true; /* nothing but indentation on the current line yet */
    const char *p = line;
    while (*p) {
        size_t gap = strspn(p, " ");
        const char *w = p + gap;
        size_t wlen = strcspn(w, " ");
        size_t wcols = ri_cols(w, wlen);
        if (!wlen) {
            /* trailing spaces: keep what fits */
            for (size_t i = 0; i < gap && col < RI_WIDTH; i++, col++)
                strbuf_addc(sb, ' ');
            break;
        }
        /* A word that fits no continuation line either is cut right here,
         * unless little room is left on this one. */
        bool too_long = wcols > RI_WIDTH - indent;
        if (!fresh && wcols > 0 && col + gap + wcols > RI_WIDTH && (!too_long || col + gap + 8 > RI_WIDTH)) {
            strbuf_addc(sb, '\n');
            for (col = 0; col < indent; col++)
                strbuf_addc(sb, ' ');
            gap = 0;
        }
        else if (col + gap >= RI_WIDTH)
            gap = 0;
        for (size_t i = 0; i < gap; i++)
            strbuf_addc(sb, ' ');
        col += gap;
        /* a word wider than what is left of a fresh line is cut */
        while (wcols > 0 && col + wcols > RI_WIDTH) {
            size_t avail = RI_WIDTH > col ? RI_WIDTH - col : 1;
            size_t cut = ri_cut(w, wlen, avail);
            strbuf_add(sb, w, cut);
            strbuf_addc(sb, '\n');
            w += cut;
            wlen -= cut;
            wcols = ri_cols(w, wlen);
            for (col = 0; col < indent; col++)
                strbuf_addc(sb, ' ');
        }
        strbuf_add(sb, w, wlen);
        col += wcols;
        if (wcols > 0)
            fresh = false;
        p = w + wlen;
    }
    strbuf_addc(sb, '\n');
}

/* ri_flush - wrap the line built in *line and start a new one. */
static void ri_flush(struct strbuf *sb, struct strbuf *line, size_t indent)
{
    ri_line(sb, line->buf, indent);
    strbuf_reset(line);
}

/* What configuration says about the source of one family, in a word or an
 * address; where it comes from is on the lines under the table. */
static char *ri_source_cell(const struct model_identity *id, enum model_family f)
{
    if (!(id->families & MODEL_FAMILY_BIT(f)))
        return xstrdup("(off)");
    const struct model_bind *b = &id->bind[f];
    switch (b->how) {
    case MODEL_BIND_PARAM:
    case MODEL_BIND_INET_INTERFACES:
        return ri_escaped(b->address);
    case MODEL_BIND_DYNAMIC:
        return xstrdup("dynamic");
    case MODEL_BIND_WILDCARD:
    case MODEL_BIND_NONE:
        break;
    }
    return xstrdup("kernel");
}

static void ri_row(const struct model_identity *id, char *cells[RI_NCOLS])
{
    struct strbuf transport = STRBUF_INIT;
    term_escape(&transport, id->transport);
    if (id->service_type) {
        strbuf_addc(&transport, '/');
        term_escape(&transport, id->service_type);
    }
    cells[RI_COL_TRANSPORT] = strbuf_detach(&transport);
    if (id->helo_dynamic && !id->helo_name)
        cells[RI_COL_EHLO] = xstrdup("dynamic");
    else if (id->helo_dynamic) {
        struct strbuf sb = STRBUF_INIT;
        strbuf_adds(&sb, "dynamic (else ");
        term_escape(&sb, id->helo_name);
        strbuf_addc(&sb, ')');
        cells[RI_COL_EHLO] = strbuf_detach(&sb);
    }
    else
        cells[RI_COL_EHLO] = ri_escaped(id->helo_name);
    cells[RI_COL_IPV4] = ri_source_cell(id, MODEL_IPV4);
    cells[RI_COL_IPV6] = ri_source_cell(id, MODEL_IPV6);
    cells[RI_COL_PREFER] = xstrdup(model_preference_tostr(id->preference));
    cells[RI_COL_RELAY] = id->relay ? ri_escaped(id->relay) : xstrdup("direct");
}

static void ri_pad(struct strbuf *sb, const char *s, size_t width)
{
    strbuf_adds(sb, s);
    for (size_t n = ri_cols(s, strlen(s)); n < width; n++)
        strbuf_addc(sb, ' ');
}

/* The lines under the table: a label in 12 columns, then the text, whose
 * continuation lines start under it. */
#define RI_DETAIL_INDENT 17

/* ri_origin_why - "what  ORIGIN", with why in parentheses when given. */
static void ri_origin_why(struct strbuf *sb, const char *what, const struct model_origin *o, const char *why,
                          bool color)
{
    char *origin = model_origin_tostr(o);
    if (!origin)
        return;
    struct strbuf line = STRBUF_INIT;
    strbuf_addf(&line, "    %s%-12s%s ", color ? RI_DIM : "", what, color ? RI_RESET : "");
    term_escape(&line, origin);
    if (why)
        strbuf_addf(&line, " (%s)", why);
    ri_flush(sb, &line, RI_DETAIL_INDENT);
    strbuf_release(&line);
    free(origin);
}

static void ri_origin_line(struct strbuf *sb, const char *what, const struct model_origin *o, bool color)
{
    ri_origin_why(sb, what, o, NULL, color);
}

static void ri_details(struct strbuf *sb, const struct model_identity *id, bool color)
{
    struct strbuf line = STRBUF_INIT;
    strbuf_adds(&line, "  ");
    term_escape(&line, id->id);
    ri_flush(sb, &line, 4);
    ri_origin_line(sb, "ehlo", &id->helo_origin, color);
    if (id->helo_dynamic && id->helo_expression) {
        strbuf_addf(&line, "    %-12s ", "expression");
        term_escape(&line, id->helo_expression);
        ri_flush(sb, &line, RI_DETAIL_INDENT);
    }
    for (int f = 0; f < MODEL_NFAMILIES; f++) {
        const struct model_bind *b = &id->bind[f];
        char *label = xasprintf("%s source", model_family_tostr((enum model_family)f));
        if (b->how == MODEL_BIND_DYNAMIC && b->expression) {
            strbuf_addf(&line, "    %-12s ", label);
            term_escape(&line, b->expression);
            strbuf_adds(&line, "  (computed at delivery time)");
            ri_flush(sb, &line, RI_DETAIL_INDENT);
        }
        /* The table shows the address alone: say that Postfix took it from
         * inet_interfaces, not from a bind setting. */
        ri_origin_why(sb, label, &b->origin, b->how == MODEL_BIND_INET_INTERFACES ? "inet_interfaces" : NULL, color);
        free(label);
    }
    ri_origin_line(sb, "families", &id->families_origin, color);
    ri_origin_line(sb, "preference", &id->preference_origin, color);
    ri_origin_why(sb, "relay", &id->relay_origin, id->relay_mx ? "looked up by MX" : NULL, color);
    if (id->port) {
        struct strbuf port = STRBUF_INIT;
        term_escape(&port, id->port);
        ri_origin_why(sb, "port", &id->port_origin, port.buf, color);
        strbuf_release(&port);
    }
    if (id->mta == MODEL_POSTFIX && id->bind_enforce)
        ri_origin_line(sb, "bind enforce", &id->bind_enforce_origin, color);
    for (size_t i = 0; i < id->notes.n; i++) {
        strbuf_addf(&line, "    %snote%s         ", color ? RI_YELLOW : "", color ? RI_RESET : "");
        term_escape(&line, id->notes.items[i]);
        ri_flush(sb, &line, RI_DETAIL_INDENT);
    }
    strbuf_release(&line);
}

/* ri_blocks - the rows as blocks of "LABEL  value" lines, for rows that would
 * make the table wider than RI_WIDTH; frees the cells. */
static void ri_blocks(struct strbuf *sb, char *(*cells)[RI_NCOLS], size_t rows, bool color)
{
    struct strbuf line = STRBUF_INIT;
    for (size_t r = 0; r < rows; r++) {
        if (r)
            strbuf_addc(sb, '\n');
        for (int c = 0; c < RI_NCOLS; c++) {
            strbuf_addf(&line, "  %s%s%s", color ? RI_BOLD : "", ri_headers[c], color ? RI_RESET : "");
            for (size_t n = 2 + strlen(ri_headers[c]); n < RI_LABEL_COLS; n++)
                strbuf_addc(&line, ' ');
            strbuf_adds(&line, cells[r][c]);
            ri_flush(sb, &line, RI_LABEL_COLS);
            free(cells[r][c]);
        }
    }
    strbuf_release(&line);
}

/* ri_total - columns of a table row: the indent, the shown columns and two
 * spaces between each. */
static size_t ri_total(const size_t width[RI_NCOLS], const bool hoisted[RI_NCOLS])
{
    size_t total = 0;
    for (int c = 0; c < RI_NCOLS; c++)
        if (!hoisted[c])
            total += width[c] + 2;
    return total;
}

/* ri_rows - the lines of hoisted columns (one value shared by every row),
 * then the header and the rows of the other columns; frees the cells. */
static void ri_rows(struct strbuf *sb, char *(*cells)[RI_NCOLS], size_t rows, const size_t width[RI_NCOLS],
                    const bool hoisted[RI_NCOLS], bool color)
{
    struct strbuf line = STRBUF_INIT;
    int last = 0;
    for (int c = 0; c < RI_NCOLS; c++) {
        if (!hoisted[c]) {
            last = c;
            continue;
        }
        strbuf_addf(&line, "  %s%s%s", color ? RI_BOLD : "", ri_headers[c], color ? RI_RESET : "");
        for (size_t n = 2 + strlen(ri_headers[c]); n < RI_LABEL_COLS; n++)
            strbuf_addc(&line, ' ');
        strbuf_addf(&line, "%s  (every transport)", cells[0][c]);
        ri_flush(sb, &line, RI_LABEL_COLS);
    }
    strbuf_release(&line);
    strbuf_addf(sb, "  %s", color ? RI_BOLD : "");
    for (int c = 0; c < RI_NCOLS; c++)
        if (!hoisted[c])
            ri_pad(sb, ri_headers[c], c < last ? width[c] + 2 : 0);
    strbuf_addf(sb, "%s\n", color ? RI_RESET : "");
    for (size_t r = 0; r < rows; r++) {
        strbuf_adds(sb, "  ");
        for (int c = 0; c < RI_NCOLS; c++) {
            if (!hoisted[c])
                ri_pad(sb, cells[r][c], c < last ? width[c] + 2 : 0);
            free(cells[r][c]);
        }
        strbuf_addc(sb, '\n');
    }
}

/* ri_layout - the cells as a table when it fits RI_WIDTH columns, else as
 * blocks; frees the cells. A table too wide with all its columns loses,
 * widest first, the columns whose value is the same in every row (when
 * there are two rows or more): each is shown once, on a line above it. */
static void ri_layout(struct strbuf *sb, char *(*cells)[RI_NCOLS], size_t rows, bool color)
{
    size_t width[RI_NCOLS];
    bool same[RI_NCOLS], hoisted[RI_NCOLS];
    for (int c = 0; c < RI_NCOLS; c++) {
        width[c] = strlen(ri_headers[c]);
        same[c] = rows > 1 && c != RI_COL_TRANSPORT;
        hoisted[c] = false;
        for (size_t r = 0; r < rows; r++) {
            size_t cols = ri_cols(cells[r][c], strlen(cells[r][c]));
            if (cols > width[c])
                width[c] = cols;
            if (r && strcmp(cells[r][c], cells[0][c]) != 0)
                same[c] = false;
        }
    }
    while (ri_total(width, hoisted) > RI_WIDTH) {
        int widest = -1;
        for (int c = 0; c < RI_NCOLS; c++)
            if (same[c] && !hoisted[c] && (widest < 0 || width[c] > width[widest]))
                widest = c;
        if (widest < 0) {
            ri_blocks(sb, cells, rows, color);
            return;
        }
        hoisted[widest] = true;
    }
    ri_rows(sb, cells, rows, width, hoisted, color);
}

static void ri_table(struct strbuf *sb, const struct model_set *set, const struct model_config *cfg, bool color)
{
    size_t rows = 0;
    char *(*cells)[RI_NCOLS] = xcalloc(set->n ? set->n : 1, sizeof(*cells));
    for (size_t i = 0; i < set->n; i++) {
        const struct model_identity *id = &set->items[i];
        if (cfg && (id->mta != cfg->mta || strcmp(id->config, cfg->path) != 0))
            continue;
        ri_row(id, cells[rows]);
        rows++;
    }
    if (rows == 0) {
        strbuf_adds(sb, "  no outbound SMTP transport\n");
        free(cells);
        return;
    }
    ri_layout(sb, cells, rows, color);
    free(cells);
    strbuf_addc(sb, '\n');
    for (size_t i = 0; i < set->n; i++) {
        const struct model_identity *id = &set->items[i];
        if (cfg && (id->mta != cfg->mta || strcmp(id->config, cfg->path) != 0))
            continue;
        ri_details(sb, id, color);
    }
}

/* The inbound section: each listener as its id, then "LABEL  value"
 * lines, each value with where it is set on the line under it (dimmed in
 * colour), then the domains grouped by the list line they come from. */

/* ri_origin_under - the origin alone, on a line under the value. */
static void ri_origin_under(struct strbuf *sb, const struct model_origin *origin, bool color)
{
    char *o = origin ? model_origin_tostr(origin) : NULL;
    if (!o)
        return;
    struct strbuf line = STRBUF_INIT;
    strbuf_addf(&line, "%*s%s", RI_DETAIL_INDENT, "", color ? RI_DIM : "");
    term_escape(&line, o);
    strbuf_adds(&line, color ? RI_RESET : "");
    ri_flush(sb, &line, RI_DETAIL_INDENT);
    strbuf_release(&line);
    free(o);
}

/* ri_field - "    LABEL       text" (text may hold newlines: each line of a
 * multi-line banner goes on a line of its own), then the origin under the
 * text when there is one. text is from outside and escaped here. */
static void ri_field(struct strbuf *sb, const char *label, const char *text, const struct model_origin *origin,
                     bool color)
{
    struct strbuf line = STRBUF_INIT;
    const char *p = text ? text : "";
    bool first = true;
    do {
        size_t len = strcspn(p, "\n");
        char *part = xstrndup(p, len);
        if (first)
            strbuf_addf(&line, "    %-12s ", label);
        else
            strbuf_addf(&line, "%*s", RI_DETAIL_INDENT, "");
        term_escape(&line, part);
        ri_flush(sb, &line, RI_DETAIL_INDENT);
        free(part);
        first = false;
        p += len;
    } while (*p++ == '\n');
    ri_origin_under(sb, origin, color);
    strbuf_release(&line);
}

/* ri_join - the items of l joined with ", ", each escaped, appended to sb. */
static void ri_join(struct strbuf *sb, const struct strlist *l, const char *suffix)
{
    for (size_t i = 0; i < l->n; i++) {
        if (sb->len)
            strbuf_adds(sb, ", ");
        term_escape(sb, l->items[i]);
        if (suffix)
            strbuf_adds(sb, suffix);
    }
}

/* ri_built - "    LABEL       text" for a text already escaped, then the origin. */
static void ri_built(struct strbuf *sb, const char *label, const char *text, const struct model_origin *origin,
                     bool color)
{
    struct strbuf line = STRBUF_INIT;
    strbuf_addf(&line, "    %-12s %s", label, text);
    ri_flush(sb, &line, RI_DETAIL_INDENT);
    strbuf_release(&line);
    ri_origin_under(sb, origin, color);
}

/* ri_banner - the lines of one greeting: its text (or "dynamic:" and the
 * setting as written), then its host name with the parameter that carries
 * it, and the expression of a dynamic host name. */
static void ri_banner(struct strbuf *sb, const struct listener_banner *b, const char *text_label,
                      const char *host_label, const char *expr_label, bool color)
{
    struct strbuf v = STRBUF_INIT;
    if (b->dynamic || !b->text) {
        strbuf_adds(&v, "dynamic: ");
        term_escape(&v, b->raw);
        ri_built(sb, text_label, v.buf, &b->origin, color);
    } else {
        ri_field(sb, text_label, b->text, &b->origin, color);
    }
    strbuf_reset(&v);
    if (b->hostname)
        term_escape(&v, b->hostname);
    else if (b->host_from_ptr) {
        strbuf_adds(&v, "the PTR name of the address connected to");
        if (b->host_fallback) {
            strbuf_adds(&v, ", else ");
            term_escape(&v, b->host_fallback);
        }
    } else
        strbuf_adds(&v, b->host_expression ? "dynamic" : "unknown");
    if (b->host_param) {
        strbuf_adds(&v, " (from ");
        term_escape(&v, b->host_param);
        strbuf_addc(&v, ')');
    }
    ri_built(sb, host_label, v.buf, &b->host_origin, color);
    if (b->host_expression)
        ri_field(sb, expr_label, b->host_expression, NULL, color);
    strbuf_release(&v);
}

/* ri_addresses - where l listens: "all IPv4 addresses", numeric addresses
 * and host names (not resolved), escaped, in that order. */
static void ri_addresses(struct strbuf *v, const struct listener *l)
{
    bool all4 = l->all_families & MODEL_FAMILY_BIT(MODEL_IPV4);
    bool all6 = l->all_families & MODEL_FAMILY_BIT(MODEL_IPV6);
    if (all4 && all6)
        strbuf_adds(v, "all IPv4 and IPv6 addresses");
    else if (all4 || all6)
        strbuf_addf(v, "all %s addresses", all4 ? "IPv4" : "IPv6");
    ri_join(v, &l->addresses, NULL);
    ri_join(v, &l->names, " (a name, not resolved here)");
    if (!v->len)
        strbuf_adds(v, "none");
}

/* ri_listener - one listener: its id, then what it is, its port, where it
 * listens, its greetings, the service postscreen passes to, its notes. */
static void ri_listener(struct strbuf *sb, const struct listener *l, bool color)
{
    struct strbuf line = STRBUF_INIT, v = STRBUF_INIT;
    strbuf_addf(&line, "  %s", color ? RI_BOLD : "");
    term_escape(&line, l->id);
    strbuf_adds(&line, color ? RI_RESET : "");
    ri_flush(sb, &line, 4);

    if (l->mta == MODEL_EXIM) {
        strbuf_adds(&v, "Exim daemon");
    } else {
        strbuf_adds(&v, "Postfix ");
        term_escape(&v, l->command);
        strbuf_adds(&v, ", service ");
        term_escape(&v, l->service);
    }
    ri_built(sb, "listener", v.buf, &l->origin, color);

    strbuf_reset(&v);
    char num[16];
    snprintf(num, sizeof(num), "%u", l->port);
    if (l->port)
        strbuf_adds(&v, num);
    else
        strbuf_adds(&v, "unknown");
    if (l->port_name && (!l->port || strcmp(l->port_name, num) != 0)) {
        strbuf_adds(&v, " (");
        term_escape(&v, l->port_name);
        strbuf_addc(&v, ')');
    }
    strbuf_adds(&v, l->mx ? ", MX" : ", not MX");
    if (l->tls_on_connect)
        strbuf_adds(&v, ", TLS on connect");
    ri_built(sb, "port", v.buf, NULL, color);

    strbuf_reset(&v);
    ri_addresses(&v, l);
    ri_built(sb, "addresses", v.buf, &l->addresses_origin, color);
    if (l->proxy_addresses.n) {
        strbuf_reset(&v);
        ri_join(&v, &l->proxy_addresses, NULL);
        ri_built(sb, "proxy", v.buf, &l->proxy_origin, color);
    }

    ri_banner(sb, &l->banner, "banner", "host name", "expression", color);
    if (l->teaser.present)
        ri_banner(sb, &l->teaser, "teaser", "teaser host", "teaser expr", color);
    else if (l->command && strcmp(l->command, "postscreen") == 0)
        ri_built(sb, "teaser", "none", &l->teaser.origin, color);
    if (l->pass_service) {
        strbuf_reset(&v);
        term_escape(&v, l->pass_service);
        ri_built(sb, "pass to", v.buf, &l->pass_origin, color);
    }
    for (size_t i = 0; i < l->notes.n; i++) {
        strbuf_addf(&line, "    %snote%s         ", color ? RI_YELLOW : "", color ? RI_RESET : "");
        term_escape(&line, l->notes.items[i]);
        ri_flush(sb, &line, RI_DETAIL_INDENT);
    }
    strbuf_release(&v);
    strbuf_release(&line);
}

/* ri_list_line - "    LIST  ORIGIN", the list a domain or table is in. */
static void ri_list_line(struct strbuf *sb, const char *source, const struct model_origin *origin, bool color)
{
    struct strbuf line = STRBUF_INIT;
    char *o = model_origin_tostr(origin);
    strbuf_adds(&line, "    ");
    term_escape(&line, source);
    if (o) {
        strbuf_addf(&line, "  %s", color ? RI_DIM : "");
        term_escape(&line, o);
        strbuf_adds(&line, color ? RI_RESET : "");
    }
    free(o);
    ri_flush(sb, &line, 6);
    strbuf_release(&line);
}

static bool ri_same_origin(const struct model_origin *a, const struct model_origin *b)
{
    return a->kind == b->kind && a->line == b->line &&
           (a->file == b->file || (a->file && b->file && strcmp(a->file, b->file) == 0));
}

/* ri_domains - the domains, those of one list line together under "LIST
 * ORIGIN"; how many were left out; then each table noted (never read). */
static void ri_domains(struct strbuf *sb, const struct listener_set *in, bool color)
{
    struct strbuf line = STRBUF_INIT;
    for (size_t i = 0; i < in->ndomains;) {
        const struct listener_domain *d = &in->domains[i];
        ri_list_line(sb, d->source, &d->origin, color);
        strbuf_adds(&line, "     ");
        size_t k = i;
        for (; k < in->ndomains && in->domains[k].mta == d->mta && strcmp(in->domains[k].source, d->source) == 0 &&
               ri_same_origin(&in->domains[k].origin, &d->origin);
             k++) {
            strbuf_addc(&line, ' ');
            term_escape(&line, in->domains[k].name);
        }
        ri_flush(sb, &line, 6);
        i = k;
    }
    if (in->domains_dropped)
        strbuf_addf(sb, "    %zu more domains left out (at most %d are kept)\n", in->domains_dropped,
                    LISTENER_MAX_DOMAINS);
    for (size_t i = 0; i < in->ntables; i++) {
        const struct listener_table *t = &in->tables[i];
        ri_list_line(sb, t->source, &t->origin, color);
        strbuf_adds(&line, "      table ");
        term_escape(&line, t->table);
        strbuf_adds(&line, ", not read");
        ri_flush(sb, &line, 8);
    }
    strbuf_release(&line);
}

/* ri_inbound - the "Inbound" section. */
static void ri_inbound(struct strbuf *sb, const struct listener_set *in, bool color)
{
    strbuf_addf(sb, "%sInbound%s\n", color ? RI_BOLD : "", color ? RI_RESET : "");
    if (in->n == 0)
        strbuf_adds(sb, "  no SMTP listener\n");
    for (size_t i = 0; i < in->n; i++)
        ri_listener(sb, &in->items[i], color);
    if (in->ndomains || in->ntables || in->domains_dropped) {
        strbuf_addf(sb, "  %sdomains%s\n", color ? RI_BOLD : "", color ? RI_RESET : "");
        ri_domains(sb, in, color);
    } else {
        strbuf_adds(sb, "  no domain in the configuration\n");
    }
    if (in->notes.n) {
        struct strbuf line = STRBUF_INIT;
        strbuf_addf(sb, "  %snotes%s\n", color ? RI_BOLD : "", color ? RI_RESET : "");
        for (size_t i = 0; i < in->notes.n; i++) {
            strbuf_adds(&line, "    ");
            term_escape(&line, in->notes.items[i]);
            ri_flush(sb, &line, 6);
        }
        strbuf_release(&line);
    }
    strbuf_addc(sb, '\n');
}

/* Identities whose config matches no recorded configuration are still shown. */
static bool ri_orphans(const struct model_set *set)
{
    for (size_t i = 0; i < set->n; i++) {
        bool found = false;
        for (size_t c = 0; c < set->nconfigs && !found; c++)
            found = set->items[i].mta == set->configs[c].mta && set->items[i].config &&
                    strcmp(set->items[i].config, set->configs[c].path) == 0;
        if (!found)
            return true;
    }
    return false;
}

char *report_identities_text(const struct model_set *set, const struct listener_set *in, const struct diag_list *diags,
                             bool color)
{
    struct strbuf sb = STRBUF_INIT;
    struct strbuf line = STRBUF_INIT;
    for (size_t c = 0; c < set->nconfigs; c++) {
        const struct model_config *cfg = &set->configs[c];
        strbuf_addf(&line, "%s%s ", color ? RI_BOLD : "", cfg->mta == MODEL_EXIM ? "Exim" : "Postfix");
        term_escape(&line, cfg->path);
        strbuf_addf(&line, "%s (", color ? RI_RESET : "");
        term_escape(&line, cfg->how);
        strbuf_adds(&line, ")");
        ri_flush(&sb, &line, 2);
        ri_table(&sb, set, cfg, color);
        strbuf_addc(&sb, '\n');
    }
    if (ri_orphans(set)) {
        strbuf_adds(&sb, "Other identities\n");
        ri_table(&sb, set, NULL, color);
        strbuf_addc(&sb, '\n');
    }
    if (in && (in->n || set->nconfigs))
        ri_inbound(&sb, in, color);
    if (set->nconfigs == 0 && set->n == 0)
        strbuf_adds(&sb, diags && diags->n ? "No configuration could be read.\n"
                                           : "No Postfix or Exim configuration found.\n");
    if (diags && diags->n) {
        strbuf_addf(&sb, "%sConfiguration problems%s\n", color ? RI_BOLD : "", color ? RI_RESET : "");
        for (size_t i = 0; i < diags->n; i++) {
            const struct diag *d = &diags->items[i];
            char *text = diag_format(d);
            bool err = d->level != DIAG_WARNING;
            strbuf_addf(&line, "  %s%s%s ", color ? (err ? RI_RED : RI_YELLOW) : "", err ? "error:  " : "warning:",
                        color ? RI_RESET : "");
            term_escape(&line, text);
            ri_flush(&sb, &line, 11);
            free(text);
        }
    }
    strbuf_release(&line);
    return strbuf_detach(&sb);
}

char *report_identities_json(const struct model_set *set, const struct listener_set *in, const struct diag_list *diags,
                             long long run_started_ms, long long run_duration_ms)
{
    struct json_object *root = json_object_new_object();
    identity_json_add_head(root, set->n ? "ok" : "unknown", set, diags);
    identity_json_add_inbound(root, in);
    json_object_object_add(root, "run", identity_json_run(run_started_ms, run_duration_ms, NULL));

    const char *text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
    char *copy = xasprintf("%s\n", text);
    json_object_put(root);
    return copy;
}
