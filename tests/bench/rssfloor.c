/*
 * rssfloor: the memory floor of a program linked as syslogd is.
 *
 * It references one function of each library syslogd links (libevent's
 * core, extra and openssl parts, libssl, libcrypto) and calls none of them,
 * then waits.  What it has resident is what loading and relocating those
 * libraries costs before any of our code runs: bench.sh sets it beside
 * the start-up memory of the usual, dynamically linked syslogd in case 8.
 */
#include <event2/bufferevent_ssl.h>
#include <event2/dns.h>
#include <event2/event.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <unistd.h>

typedef void (*any_fn)(void);

/* volatile, so that the references survive: the linker keeps the libraries */
static any_fn volatile kept[] = {
	(any_fn)event_base_new,
	(any_fn)evdns_base_new,
	(any_fn)bufferevent_openssl_socket_new,
	(any_fn)SSL_CTX_new,
	(any_fn)ERR_get_error,
};

int
main(void)
{
	(void)kept[0];
	for (;;)
		pause();
}
