/*
 * newsyslog.conf: text -> a list of entries.  Every malformed line is
 * reported through a callback with its file name and line number and
 * left out; the other lines are kept.
 *
 * Pure: user and group names are looked up through a caller-supplied
 * resolver, so the parser does no I/O itself.
 */
#ifndef NEWSYSLOG_CONF_H
#define NEWSYSLOG_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "when.h"

#ifndef PATH_SYSLOGD_PID
#define PATH_SYSLOGD_PID	"/var/run/syslogd.pid"
#endif

/* PATH_SYSLOGD_PID, as this library was built. */
extern const char ns_default_pidfile[];

#define NS_MAX_COUNT	999	/* archives .0 .. .998 */

/* ns_entry.flags */
#define NS_F_BINARY	0x01	/* B: no "turned over" notice */
#define NS_F_CREATE	0x02	/* C: create the log when it is missing */
#define NS_F_NOSIGNAL	0x04	/* N: signal nobody */
#define NS_F_PLAIN0	0x08	/* P: leave .0 uncompressed */

enum ns_comp { NS_COMP_NONE, NS_COMP_GZIP, NS_COMP_BZIP2, NS_COMP_XZ };

struct ns_entry {
	char		*path;		/* absolute path of the log */
	const char	*file;		/* configuration file (not owned) */
	int		line;		/* its first line number */
	bool		has_owner;	/* an owner:group field was given */
	uid_t		uid;		/* (uid_t)-1: keep the log's owner */
	gid_t		gid;		/* (gid_t)-1: keep the log's group */
	mode_t		mode;
	int		count;		/* archives kept besides the log */
	long		size_kib;	/* -1: size not considered ("*") */
	struct ns_when	when;
	unsigned	flags;		/* NS_F_* */
	enum ns_comp	comp;
	char		*pidfile;	/* always set: the default if not given */
	int		sig;
};

struct ns_conf {
	struct ns_entry	*v;
	size_t		n;
	size_t		cap;
};

/*
 * Name lookups.  Each returns 0 and fills its results, or -1 when the
 * name is unknown.  user() also returns the user's primary group.
 */
struct ns_resolver {
	int	(*user)(void *ctx, const char *name, uid_t *uid, gid_t *gid);
	int	(*group)(void *ctx, const char *name, gid_t *gid);
	void	*ctx;
};

typedef void (*ns_errfn)(void *ctx, const char *file, int line,
    const char *msg);

/*
 * Parses len bytes of text read from file (the name is kept by
 * reference in every entry and must outlive conf).  Entries are
 * appended to conf.  r may be NULL: then only numeric ids are accepted.
 * Returns the number of errors reported; -1 if memory ran out.
 */
int	ns_conf_parse(struct ns_conf *conf, const char *file, const char *text,
	    size_t len, const struct ns_resolver *r, ns_errfn err, void *errctx);

void	ns_conf_free(struct ns_conf *conf);

/*
 * Signal names: "HUP", "SIGHUP" (any case) or a number.  Returns the
 * signal number, or -1 when unknown.
 */
int	ns_signum(const char *name);
/* "HUP" for SIGHUP, or NULL when the number has no name here. */
const char *ns_signame(int sig);

/* The file name suffix of a compression method: "", ".gz", ".bz2", ".xz". */
const char *ns_comp_suffix(enum ns_comp comp);

#endif
