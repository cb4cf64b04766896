/*
 * syslog.conf: text in, a configuration value out.  Pure: the caller reads
 * the file; names are not resolved and nothing is opened here.
 *
 * conf_parse() keeps every line it understood and reports every line it
 * did not, each as "file:line: what is wrong".  The daemon starts with
 * what was understood, but a reload with any error keeps the old
 * configuration; -N reports the errors and exits non-zero.
 */
#ifndef SYSLOGD_CONF_H
#define SYSLOGD_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "filter.h"
#include "strutil.h"

enum action_type {
	ACT_FILE,	/* /path: a file, tty or FIFO (decided when opened) */
	ACT_CONSOLE,	/* /dev/console */
	ACT_PIPE,	/* |command */
	ACT_USERS,	/* user1,user2 */
	ACT_WALL,	/* * */
	ACT_UDP,	/* @host, @host:port, @v6addr (no port) */
	ACT_TLS,	/* @[host]:port(options) */
};

enum tls_verify { TLS_VERIFY_ON, TLS_VERIFY_OPT, TLS_VERIFY_OFF };

/* Default credentials; a build may override them with -D. */
#ifndef CONF_DEFAULT_TLS_KEY
#define CONF_DEFAULT_TLS_KEY	"/etc/openssl/default.key"
#endif
#ifndef CONF_DEFAULT_TLS_CERT
#define CONF_DEFAULT_TLS_CERT	"/etc/openssl/default.crt"
#endif

/* Defaults of the other global options (see conf.c for all of them). */
#define CONF_DEFAULT_TLS_PORT		"6514"	/* syslog-tls */
#define CONF_MIN_TLS_MSG_SIZE		8192	/* RFC 5425 */
#define CONF_DEFAULT_TLS_MSG_SIZE	16384
#define CONF_DEFAULT_TLS_CONNECTIONS	256
#define CONF_DEFAULT_TLS_HANDSHAKE	10	/* seconds */
#define CONF_DEFAULT_TLS_IDLE		0	/* seconds; 0: none */
#define CONF_LINE_MAX			65536	/* bytes in a logical line */

struct conf_action {
	enum action_type type;
	bool		 sync;		/* file: no "-" prefix */
	bool		 keep_pri;	/* "+" prefix: write <PRI> */
	char		*target;	/* path, command or host name */
	char		*port;		/* UDP/TLS; NULL: the default port */
	struct strlist	 users;		/* ACT_USERS */
	/* ACT_TLS options: (subject="", fingerprint="", cert="", verify=) */
	struct strlist	 tls_subjects;
	struct strlist	 tls_fingerprints;
	char		*tls_certfile;
	int		 tls_verify;	/* enum tls_verify; -1: global setting */
};

struct conf_rule {
	struct selector		sel;
	struct namelist		progs;
	struct namelist		hosts;
	struct conf_action	act;
	int			line;
	char		       *text;	/* the line as written, for messages */
};

/* Queue limits; -1 means unlimited. */
struct queue_limit {
	long long	length;		/* messages */
	long long	size;		/* bytes */
};

struct conf_options {
	/* TLS listener and credentials */
	bool		 tls_server;
	char		*tls_bindhost;		/* NULL: all addresses */
	char		*tls_bindport;		/* default "6514" */
	bool		 tls_gen_cert;
	char		*tls_key;
	char		*tls_cert;
	char		*tls_ca;
	char		*tls_cadir;
	char		*tls_crl;
	enum tls_verify	 tls_verify;
	struct strlist	 tls_allow_fingerprints;
	struct strlist	 tls_allow_clientcerts;
	struct strlist	 tls_allow_subjects;
	char		*tls_ciphers;
	char		*tls_min_version;	/* "1.2" or "1.3" */
	long long	 tls_max_msg_size;	/* bytes; at least 8192 */
	long long	 tls_max_connections;
	long long	 tls_handshake_timeout;	/* seconds */
	long long	 tls_idle_timeout;	/* seconds; 0: none */
	/* queues */
	struct queue_limit tls_queue, file_queue, pipe_queue, fifo_queue;
	char		*spool_dir;
	long long	 spool_size;
	/* syslog-sign: sign_sg -1 when off */
	int		 sign_sg;
	struct strlist	 sign_delim_sg2;
};

struct conf {
	char			*file;
	struct conf_options	 opt;
	struct conf_rule	*rules;
	size_t			 nrules;
};

struct conf_env {
	bool	 eq_default;	/* -U */
};

/*
 * Parses text (len bytes) read from file.  Returns a configuration (NULL
 * only when out of memory); each error is appended to errors.
 */
struct conf	*conf_parse(const char *text, size_t len, const char *file,
		    const struct conf_env *env, struct strlist *errors);
void		 conf_free(struct conf *c);

/* The configuration used when the file cannot be read: console and wall. */
struct conf	*conf_fallback(const struct conf_env *env);

/*
 * Parses a boolean option value: on/off, yes/no, true/false, 1/0, any
 * case.  Returns 0 or -1.
 */
int	conf_parse_bool(const char *s, bool *out);
/*
 * Parses a size such as 1024, 16k, 16M, 1G (binary multiples) or -1.
 * Returns 0 or -1.
 */
int	conf_parse_size(const char *s, long long *out);

/*
 * Parses one action, the text after the selector and its blanks:
 * "/path", "-/path", "+/path", "|cmd", "*", "user1,user2", "@host:port",
 * "@[host]:port(options)".  Fills *out (to be freed with
 * conf_action_free()) and returns 0, or returns -1 with the problem in
 * err and nothing to free.  Used by conf_parse().
 */
int	conf_action_parse(const char *text, size_t len,
	    struct conf_action *out, char *err, size_t errlen);
void	conf_action_free(struct conf_action *a);

/* A port: 1 to 65535, or a service name of letters, digits and "-". */
bool	conf_port_ok(const char *s, size_t len);

/*
 * Appends "text" (double quotes included) to ob for an error message:
 * cut to a sane length, with bytes that are not printable escaped.
 */
void	conf_errword(struct outbuf *ob, const char *s, size_t len);

#endif
