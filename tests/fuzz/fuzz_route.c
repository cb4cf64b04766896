/*
 * Routing: a syslog.conf and a message, both from the input (cut at the
 * first NUL byte), and every rule's selector, program block and host
 * block applied to the message as the daemon applies them.
 *
 * Invariants: host blocks ignore case (the host upper-cased matches the
 * same way); a negated program or host block ("!-", "-") takes exactly
 * the messages the plain block with the same names refuses; nothing
 * crashes on hostile program or host names.
 */
#include <ctype.h>
#include <string.h>

#include "conf.h"
#include "fuzz.h"
#include "msg.h"

static const char localhost[] = "local.example";
static struct msg m;

static void
check_rule(const struct conf_rule *r, int fac, int sev, const char *host,
    const char *upper)
{
	struct namelist flipped;

	(void)selector_match(&r->sel, fac, sev);
	FUZZ_CHECK(host_match(&r->hosts, host, localhost) ==
	    host_match(&r->hosts, upper, localhost));
	if (r->progs.names.n > 0 && m.app[0] != '\0' &&
	    namelist_copy(&flipped, &r->progs) == 0) {
		flipped.negate = !flipped.negate;
		FUZZ_CHECK(prog_match(&flipped, m.app) !=
		    prog_match(&r->progs, m.app));
		namelist_free(&flipped);
	}
	if (r->hosts.names.n > 0 &&
	    namelist_copy(&flipped, &r->hosts) == 0) {
		flipped.negate = !flipped.negate;
		FUZZ_CHECK(host_match(&flipped, host, localhost) !=
		    host_match(&r->hosts, host, localhost));
		namelist_free(&flipped);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	struct strlist errors = { NULL, 0 };
	struct conf_env env = { false };
	struct msg_parse_opts po;
	char upper[MSG_HOST_MAX + 1];
	const char *host;
	struct conf *c;
	size_t clen, i;

	if (nul == NULL)
		return 0;
	clen = (size_t)(nul - data);
	if ((c = conf_parse((const char *)data, clen, "fuzz.conf", &env,
	    &errors)) == NULL) {
		strlist_free(&errors);
		return 0;
	}
	memset(&po, 0, sizeof(po));
	po.now.tv_sec = 1700000000;
	po.default_pri = MSG_DEFAULT_PRI;
	msg_parse(&m, (const char *)nul + 1, size - clen - 1, &po);
	host = m.host[0] != '\0' ? m.host : "sender.example";
	for (i = 0; host[i] != '\0'; i++)
		upper[i] = (char)toupper((unsigned char)host[i]);
	upper[i] = '\0';
	for (i = 0; i < c->nrules; i++)
		check_rule(&c->rules[i], m.fac, m.sev, host, upper);
	conf_free(c);
	strlist_free(&errors);
	return 0;
}
