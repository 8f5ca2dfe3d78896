/* test_target.c - unit tests for target normalisation (src/analyzers/target.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <glib.h>
#include "analyzers/target.h"

static void check(const char *raw, const char *scheme, const char *host, bool remote,
		  const char *normalized)
{
	lure_target t;
	lure_target_parse(raw, &t);
	if (strcmp(t.scheme, scheme) != 0)
		fail_msg("'%s': scheme '%s', want '%s'", raw, t.scheme, scheme);
	if (host == NULL)
		assert_null(t.host);
	else if (t.host == NULL || strcmp(t.host, host) != 0)
		fail_msg("'%s': host '%s', want '%s'", raw, t.host ? t.host : "(null)", host);
	if (t.remote != remote)
		fail_msg("'%s': remote %d, want %d", raw, t.remote, remote);
	if (normalized != NULL && strcmp(t.normalized, normalized) != 0)
		fail_msg("'%s': normalized '%s', want '%s'", raw, t.normalized, normalized);
	lure_target_clear(&t);
}

static void test_http(void **state)
{
	(void)state;
	check("http://192.0.2.20/MSHTML_C7/start.xml", "http", "192.0.2.20", true,
	      "http://192.0.2.20/MSHTML_C7/start.xml");
	check("  HtTpS://User@Docs.Example:8443/a?b#c ", "https", "docs.example", true, NULL);
	check("%68ttp://192.0.2.1/x", "http", "192.0.2.1", true, "http://192.0.2.1/x");
	check("&#x68;ttp://192.0.2.1/x", "http", "192.0.2.1", true, NULL);
	check("%2568ttp://192.0.2.1/x", "http", "192.0.2.1", true, NULL); /* twice encoded */
	check("\"http://[2001:db8::1]/x\"", "http", "[2001:db8::1]", true, NULL);
}

static void test_unc_forms(void **state)
{
	(void)state;
	check("\\\\192.0.2.10\\share1\\MSHTML_C7\\file001.url", "unc", "192.0.2.10", true,
	      "\\\\192.0.2.10\\share1\\MSHTML_C7\\file001.url");
	check("//192.0.2.10/share1/x.dotm", "unc", "192.0.2.10", true,
	      "\\\\192.0.2.10\\share1\\x.dotm");
	check("file://192.0.2.10/share1/x.dotm", "file", "192.0.2.10", true,
	      "\\\\192.0.2.10\\share1\\x.dotm");
	check("file:////192.0.2.10/share1/x.dotm", "file", "192.0.2.10", true, NULL);
	check("\\\\templates.example@SSL\\DavWWWRoot\\t.dotm", "unc", "templates.example", true, NULL);
}

static void test_local(void **state)
{
	(void)state;
	check("file:///C:\\Users\\me\\Templates\\Normal.dotm", "local", NULL, false,
	      "C:\\Users\\me\\Templates\\Normal.dotm");
	check("C:\\x\\y.dotm", "local", NULL, false, NULL);
	check("Normal.dotm", "relative", NULL, false, "Normal.dotm");
	check("../media/image1.png", "relative", NULL, false, NULL);
	check("", "relative", NULL, false, "");
}

static void test_special_schemes(void **state)
{
	(void)state;
	check("mhtml:http://192.0.2.5/x.html!x-usc:http://192.0.2.5/x.html", "mhtml",
	      "192.0.2.5", true, NULL);
	check("ms-msdt:/id PCWDiagnostic /skip force", "ms-msdt", NULL, false, NULL);
	check("search-ms:query=file001&crumb=location:\\\\192.0.2.10\\share1&displayname=x",
	      "search-ms", "192.0.2.10", true, NULL);
	check("mailto:a@example.invalid", "mailto", NULL, false, NULL);
}

static void test_ip_detection(void **state)
{
	(void)state;
	assert_true(lure_target_host_is_ip("192.0.2.1"));
	assert_true(lure_target_host_is_ip("3221225985"));
	assert_true(lure_target_host_is_ip("0xC0.0x00.0x02.0x01"));
	assert_true(lure_target_host_is_ip("[2001:db8::1]"));
	assert_false(lure_target_host_is_ip("cafe.example"));
	assert_false(lure_target_host_is_ip("1.2.3.4.5"));
	assert_false(lure_target_host_is_ip(""));
	assert_false(lure_target_host_is_ip(NULL));
	lure_target t;
	lure_target_parse("http://198.51.100.7/", &t);
	assert_true(t.host_is_ip);
	lure_target_clear(&t);
	lure_target_parse("http://c2.example.invalid/", &t);
	assert_false(t.host_is_ip);
	lure_target_clear(&t);
}

static void test_hostile_bytes(void **state)
{
	(void)state;
	lure_target t;
	lure_target_parse(NULL, &t);
	assert_string_equal(t.scheme, "relative");
	lure_target_clear(&t);
	lure_target_parse("&#0;&#x110000;&#99999999999;%%%zz%4", &t);
	assert_non_null(t.normalized);
	lure_target_clear(&t);
	lure_target_parse("http://", &t);
	assert_null(t.host);
	assert_false(t.remote);
	lure_target_clear(&t);
	lure_target_clear(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http),
		cmocka_unit_test(test_unc_forms),
		cmocka_unit_test(test_local),
		cmocka_unit_test(test_special_schemes),
		cmocka_unit_test(test_ip_detection),
		cmocka_unit_test(test_hostile_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
