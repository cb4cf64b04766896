/*
 * Unit tests of the table of UDP senders' names: what a sender is called
 * before, during and after its lookups, what waits and for how long,
 * hostile answers, and the bounds.
 */
#include <atf-c.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdlib.h>
#include <string.h>

#include "namecache.h"

#define SEC	1000000ULL

static struct nc_addr
v4(const char *text)
{
	struct sockaddr_in sin;
	struct nc_addr a;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	ATF_REQUIRE(inet_pton(AF_INET, text, &sin.sin_addr) == 1);
	ATF_REQUIRE(nc_addr_of(&a, (struct sockaddr *)&sin, sizeof(sin)));
	return a;
}

static size_t
count_held(const struct nc_entry *e)
{
	size_t n = 0;

	for (const struct nc_held *h = e->held; h != NULL; h = h->next)
		n++;
	return n;
}

ATF_TC_WITHOUT_HEAD(first_lookup_holds);
ATF_TC_BODY(first_lookup_holds, tc)
{
	struct namecache nc;
	struct nc_addr a = v4("192.0.2.7");
	struct timeval t = { 1, 0 };
	struct nc_entry *e;
	struct nc_held *h;

	ATF_REQUIRE(nc_init(&nc, 8, 4096) == 0);
	ATF_CHECK(nc_find(&nc, &a) == NULL);
	e = nc_get(&nc, &a, "192.0.2.7");
	ATF_REQUIRE(e != NULL);
	ATF_CHECK(nc_find(&nc, &a) == e);
	ATF_CHECK_STREQ(e->name, "192.0.2.7");
	ATF_CHECK(nc_wants_lookup(e, 10 * SEC));
	ATF_CHECK(!nc_must_wait(e));
	nc_looking(&nc, e, 10 * SEC, 2 * SEC);
	ATF_CHECK(!nc_wants_lookup(e, 10 * SEC));
	ATF_CHECK(nc_must_wait(e));
	ATF_CHECK(nc_hold(&nc, e, "one", 3, &t));
	ATF_CHECK(nc_hold(&nc, e, "two", 3, &t));
	ATF_CHECK_EQ(nc.held_bytes, 6 + 2 * sizeof(struct nc_held));
	ATF_CHECK(nc_overdue(&nc, 11 * SEC) == NULL);

	ATF_CHECK(nc_answer(&nc, &a, "gw.example.org", NULL, 11 * SEC,
	    600 * SEC, 60 * SEC) == e);
	ATF_CHECK_STREQ(e->name, "gw.example.org");
	ATF_CHECK(!nc_must_wait(e));
	ATF_CHECK(nc_overdue(&nc, 100 * SEC) == NULL);	/* no longer waits */
	h = nc_take_held(&nc, e);
	ATF_REQUIRE(h != NULL && h->next != NULL && h->next->next == NULL);
	ATF_CHECK(memcmp(h->data, "one", 3) == 0);
	ATF_CHECK(memcmp(h->next->data, "two", 3) == 0);
	ATF_CHECK_EQ(nc.held_bytes, 0);
	free(h->next);
	free(h);
	/* Looked up again once the name is old, without waiting then. */
	ATF_CHECK(!nc_wants_lookup(e, 600 * SEC));
	ATF_CHECK(nc_wants_lookup(e, 611 * SEC));
	nc_looking(&nc, e, 611 * SEC, 2 * SEC);
	ATF_CHECK(!nc_must_wait(e));
	ATF_CHECK_STREQ(e->name, "gw.example.org");
	nc_free(&nc);
}

ATF_TC_WITHOUT_HEAD(late_answer);
ATF_TC_BODY(late_answer, tc)
{
	struct namecache nc;
	struct nc_addr a = v4("192.0.2.8"), b = v4("192.0.2.9");
	struct timeval t = { 1, 0 };
	struct nc_entry *e, *f;
	uint64_t when;

	ATF_REQUIRE(nc_init(&nc, 8, 4096) == 0);
	e = nc_get(&nc, &a, "192.0.2.8");
	f = nc_get(&nc, &b, "192.0.2.9");
	nc_looking(&nc, e, 10 * SEC, 2 * SEC);
	nc_looking(&nc, f, 11 * SEC, 2 * SEC);
	ATF_CHECK(nc_hold(&nc, e, "x", 1, &t));
	ATF_REQUIRE(nc_next_deadline(&nc, &when));
	ATF_CHECK_EQ(when, 12 * SEC);
	ATF_CHECK(nc_overdue(&nc, 12 * SEC - 1) == NULL);
	ATF_CHECK(nc_overdue(&nc, 12 * SEC) == e);
	ATF_CHECK(nc_overdue(&nc, 12 * SEC) == NULL);
	ATF_CHECK(!nc_must_wait(e));
	ATF_CHECK_STREQ(e->name, "192.0.2.8");
	ATF_CHECK_EQ(count_held(e), 1);
	free(nc_take_held(&nc, e));
	ATF_REQUIRE(nc_next_deadline(&nc, &when));
	ATF_CHECK_EQ(when, 13 * SEC);
	/* The answer still names the sender, for its later messages. */
	ATF_CHECK(nc_answer(&nc, &a, "late.example.org", NULL, 20 * SEC,
	    600 * SEC, 60 * SEC) == e);
	ATF_CHECK_STREQ(e->name, "late.example.org");
	ATF_CHECK(nc_overdue(&nc, 13 * SEC) == f);
	ATF_CHECK(!nc_next_deadline(&nc, &when));
	nc_free(&nc);
}

ATF_TC_WITHOUT_HEAD(no_name);
ATF_TC_BODY(no_name, tc)
{
	struct namecache nc;
	struct nc_addr a = v4("192.0.2.10");
	struct nc_entry *e;
	const char *bad[] = { "bad name", "a\nb", "", ".", "a..b", ".a",
	    "x;rm", "10.0.0.1", "192.0.2.99.", "12345", NULL };

	ATF_REQUIRE(nc_init(&nc, 8, 4096) == 0);
	e = nc_get(&nc, &a, "192.0.2.10");
	nc_looking(&nc, e, 0, 2 * SEC);
	nc_answer(&nc, &a, "ok.example.org", NULL, 0, 600 * SEC, 60 * SEC);
	for (int i = 0; bad[i] != NULL; i++) {
		nc_looking(&nc, e, 700 * SEC, 2 * SEC);
		nc_answer(&nc, &a, bad[i], NULL, 700 * SEC, 600 * SEC,
		    60 * SEC);
		ATF_CHECK_STREQ_MSG(e->name, "192.0.2.10", "after \"%s\"",
		    bad[i]);
		ATF_CHECK(!nc_wants_lookup(e, 759 * SEC));
		ATF_CHECK(nc_wants_lookup(e, 760 * SEC));
	}
	nc_looking(&nc, e, 800 * SEC, 2 * SEC);
	nc_answer(&nc, &a, NULL, NULL, 800 * SEC, 600 * SEC, 60 * SEC);
	ATF_CHECK_STREQ(e->name, "192.0.2.10");
	/* An answer for an address nobody asked about changes nothing. */
	a = v4("192.0.2.11");
	ATF_CHECK(nc_answer(&nc, &a, "x.example.org", NULL, 0, 1, 1) == NULL);
	nc_free(&nc);
}

ATF_TC_WITHOUT_HEAD(local_domain);
ATF_TC_BODY(local_domain, tc)
{
	struct namecache nc;
	struct nc_addr a = v4("192.0.2.12");
	struct nc_entry *e;

	ATF_REQUIRE(nc_init(&nc, 8, 4096) == 0);
	e = nc_get(&nc, &a, "192.0.2.12");
	nc_answer(&nc, &a, "gw.Example.ORG.", "example.org", 0, 1, 1);
	ATF_CHECK_STREQ(e->name, "gw");
	nc_answer(&nc, &a, "gw.example.org.uk", "example.org", 0, 1, 1);
	ATF_CHECK_STREQ(e->name, "gw.example.org.uk");
	nc_answer(&nc, &a, "gw.notexample.org", "example.org", 0, 1, 1);
	ATF_CHECK_STREQ(e->name, "gw.notexample.org");
	nc_answer(&nc, &a, "example.org", "example.org", 0, 1, 1);
	ATF_CHECK_STREQ(e->name, "example.org");
	nc_free(&nc);
}

ATF_TC_WITHOUT_HEAD(bounds);
ATF_TC_BODY(bounds, tc)
{
	struct namecache nc;
	struct nc_addr a[4] = { v4("192.0.2.1"), v4("192.0.2.2"),
	    v4("192.0.2.3"), v4("192.0.2.4") };
	struct timeval t = { 1, 0 };
	struct nc_entry *e[4];
	char big[600];
	char longname[NC_NAME_MAX + 2];

	memset(big, 'x', sizeof(big));
	/* The waiting room: 1000 bytes and two datagrams' headers. */
	ATF_REQUIRE(nc_init(&nc, 2, 1000 + 2 * sizeof(struct nc_held)) == 0);
	e[0] = nc_get(&nc, &a[0], "192.0.2.1");
	e[1] = nc_get(&nc, &a[1], "192.0.2.2");
	ATF_REQUIRE(e[0] != NULL && e[1] != NULL);
	nc_looking(&nc, e[0], 0, 2 * SEC);
	ATF_CHECK(nc_hold(&nc, e[0], big, sizeof(big), &t));
	ATF_CHECK(!nc_hold(&nc, e[0], big, sizeof(big), &t));
	ATF_CHECK(nc_hold(&nc, e[0], big, 400, &t));
	ATF_CHECK(!nc_hold(&nc, e[0], big, 0, &t));	/* empty costs too */
	/* Full: the least recently used entry that holds nothing goes. */
	e[2] = nc_get(&nc, &a[2], "192.0.2.3");
	ATF_REQUIRE(e[2] != NULL);
	ATF_CHECK_EQ(nc.count, 2);
	ATF_CHECK(nc_get(&nc, &a[0], "192.0.2.1") == e[0]);
	/* e[0] waits and e[2] is looking up: neither can go. */
	nc_looking(&nc, e[2], 0, 2 * SEC);
	ATF_CHECK(nc_get(&nc, &a[3], "192.0.2.4") == NULL);
	nc_free(&nc);		/* frees what is held too */

	/* Names up to NC_NAME_MAX bytes. */
	ATF_REQUIRE(nc_init(&nc, 2, 1000) == 0);
	e[0] = nc_get(&nc, &a[0], "192.0.2.1");
	memset(longname, 'a', sizeof(longname));
	longname[NC_NAME_MAX] = '\0';
	nc_answer(&nc, &a[0], longname, NULL, 0, 1, 1);
	ATF_CHECK_EQ(strlen(e[0]->name), NC_NAME_MAX);
	longname[NC_NAME_MAX] = 'a';
	longname[NC_NAME_MAX + 1] = '\0';
	nc_answer(&nc, &a[0], longname, NULL, 0, 1, 1);
	ATF_CHECK_STREQ(e[0]->name, "192.0.2.1");
	nc_free(&nc);
}

ATF_TC_WITHOUT_HEAD(stop_waiting);
ATF_TC_BODY(stop_waiting, tc)
{
	struct namecache nc;
	struct nc_addr a = v4("192.0.2.14");
	struct timeval t = { 1, 0 };
	struct nc_entry *e;
	uint64_t when;
	unsigned gen;

	ATF_REQUIRE(nc_init(&nc, 8, 4096) == 0);
	e = nc_get(&nc, &a, "192.0.2.14");
	nc_looking(&nc, e, 0, 2 * SEC);
	ATF_CHECK(nc_hold(&nc, e, "x", 1, &t));
	gen = nc.generation;
	nc_stop_waiting(&nc, e);
	ATF_CHECK(nc.generation != gen);
	ATF_CHECK(!nc_must_wait(e));
	ATF_CHECK(!nc_next_deadline(&nc, &when));
	ATF_CHECK_EQ(count_held(e), 1);		/* for the caller to send */
	nc_free(&nc);
}

ATF_TC_WITHOUT_HEAD(refresh_all);
ATF_TC_BODY(refresh_all, tc)
{
	struct namecache nc;
	struct nc_addr a = v4("192.0.2.13");
	struct nc_entry *e;
	unsigned gen;

	ATF_REQUIRE(nc_init(&nc, 8, 4096) == 0);
	e = nc_get(&nc, &a, "192.0.2.13");
	nc_answer(&nc, &a, "r.example.org", NULL, 0, 600 * SEC, 60 * SEC);
	ATF_CHECK(!nc_wants_lookup(e, SEC));
	gen = nc.generation;
	nc_refresh_all(&nc);
	ATF_CHECK(nc.generation != gen);
	ATF_CHECK(nc_wants_lookup(e, SEC));
	ATF_CHECK_STREQ(e->name, "r.example.org");
	nc_free(&nc);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, first_lookup_holds);
	ATF_TP_ADD_TC(tp, late_answer);
	ATF_TP_ADD_TC(tp, no_name);
	ATF_TP_ADD_TC(tp, local_domain);
	ATF_TP_ADD_TC(tp, bounds);
	ATF_TP_ADD_TC(tp, stop_waiting);
	ATF_TP_ADD_TC(tp, refresh_all);
	return atf_no_error();
}
