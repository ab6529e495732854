/* netns - named network namespaces for tests: create and destroy them, link
 * them with veth pairs, run commands in them, and switch the calling thread
 * into one (so that sockets, netlink queries and if_indextoname() made
 * meanwhile belong to it).
 *
 * Everything here needs root; callers check ts_is_root() first and skip with
 * a message otherwise. Names are made unique per process (netns_name), so
 * parallel runs never collide. A failed assertion ends a forked test at
 * once, so make the names in an unchecked fixture (the runner's process) and
 * netns_del them in its teardown as well as right after use.
 *
 * Namespaces made here have lo up and IPv6 duplicate address detection off,
 * so a new IPv6 address is usable at once instead of tentative for ~2 s.
 */
#ifndef MP_TEST_NETNS_H
#define MP_TEST_NETNS_H

#include <stdbool.h>
#include <sys/types.h>

/* netns_name - "mp<tag><pid>" (at most 15 characters for tag <= 4): a name
 * unique to this process. free() it. */
char *netns_name(const char *tag);

/* netns_add - create namespace name with lo up and DAD off. Returns 0, or -1
 * with the failing command's stderr in netns_error(). */
int netns_add(const char *name);

/* netns_del - remove namespace name (and every interface in it); silent
 * when it does not exist. */
void netns_del(const char *name);

/* netns_veth - a veth pair: if1 inside ns1, if2 inside ns2, both up. */
int netns_veth(const char *ns1, const char *if1, const char *ns2, const char *if2);

/* netns_sh - run a shell command (printf format), e.g. "ip -n %s addr add ...".
 * Returns its exit status; on failure the command and its stderr are in
 * netns_error(). */
int netns_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* netns_error - what the last failing netns_* call said (static buffer). */
const char *netns_error(void);

/* netns_enter - switch the calling thread into namespace name. Returns a
 * descriptor for the namespace it was in (give it to netns_leave), or -1
 * with netns_error() set. */
int netns_enter(const char *name);

/* netns_leave - switch back to the namespace saved by netns_enter and close
 * the descriptor. */
void netns_leave(int saved);

/* netns_wait_for - run a shell command every 50 ms until it exits 0 or
 * timeout_ms passes. Returns true when it succeeded in time. */
bool netns_wait_for(unsigned timeout_ms, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* netns_spawn - start argv[0] (a path) with argv inside namespace ns (NULL:
 * this one), stdin from /dev/null, stdout and stderr appended to log (NULL:
 * /dev/null). Returns its pid, or -1 with netns_error() set. The caller
 * must netns_reap() it. */
pid_t netns_spawn(const char *ns, const char *const argv[], const char *log);

/* netns_reap - wait up to timeout_ms for pid to end, then SIGKILL it (by
 * that pid) and wait for it. Returns its exit status, 128+signal when a
 * signal ended it, or -1 when it had to be killed. */
int netns_reap(pid_t pid, unsigned timeout_ms);

/* netns_kill_all - SIGKILL every process inside namespace name (daemons a
 * test started there, e.g. a Postfix master left by a failed test), by pid,
 * and wait until none is left (at most 2 s). Silent when the namespace does
 * not exist. */
void netns_kill_all(const char *name);

#endif
