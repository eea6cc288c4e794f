/* test_value.c: names, quantities, durations and image references. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"
#include "value.h"

static void
test_names(void **state)
{
	(void)state;
	assert_null(value_name("vergabe-teilnahme", NAME_LABEL));
	assert_null(value_name("1shop", NAME_LABEL));
	assert_non_null(value_name("1shop", NAME_LABEL1035));
	assert_non_null(value_name("Shop", NAME_LABEL));
	assert_non_null(value_name("shop-", NAME_LABEL));
	assert_non_null(value_name("sh_op", NAME_LABEL));
	assert_non_null(value_name("", NAME_LABEL));
	assert_null(value_name("vergabe-teilnahme.whywhynot.de", NAME_HOST));
	assert_non_null(value_name("localhost", NAME_HOST));
	assert_null(value_name("localhost", NAME_SUBDOMAIN));
	assert_non_null(value_name("*.example.org", NAME_HOST));
	assert_non_null(value_name("a..example.org", NAME_HOST));
	assert_non_null(value_name("-a.example.org", NAME_HOST));
	assert_null(value_name("vergabe_db", NAME_PG));
	assert_non_null(value_name("vergabe-db", NAME_PG));
	assert_non_null(value_name("9db", NAME_PG));
	assert_null(value_name("DATABASE_URL", NAME_ENV));
	assert_non_null(value_name("MY-VAR", NAME_ENV));
}

static void
test_host_lengths(void **state)
{
	char host[300];

	(void)state;
	/* a 63-character label is fine, 64 is not */
	memset(host, 'a', 63);
	strcpy(host + 63, ".example.org");
	assert_null(value_name(host, NAME_HOST));
	memset(host, 'a', 64);
	strcpy(host + 64, ".example.org");
	assert_non_null(value_name(host, NAME_HOST));
}

static void
test_numbers(void **state)
{
	long long n;
	int major, minor;

	(void)state;
	assert_null(value_uint("8000", 65535, &n));
	assert_int_equal(n, 8000);
	assert_non_null(value_uint("65536", 65535, &n));
	assert_non_null(value_uint("-1", 65535, &n));
	assert_non_null(value_uint("1e3", 65535, &n));
	assert_non_null(value_uint("", 65535, &n));
	assert_non_null(value_uint("99999999999999999999999", 65535, &n));
	assert_null(value_version("1.30", &major, &minor));
	assert_int_equal(major, 1);
	assert_int_equal(minor, 30);
	assert_non_null(value_version("1", &major, &minor));
	assert_non_null(value_version("1.2.3", &major, &minor));
}

static void
test_cpu(void **state)
{
	long long m;

	(void)state;
	assert_null(value_cpu("100m", &m));
	assert_int_equal(m, 100);
	assert_null(value_cpu("0.5", &m));
	assert_int_equal(m, 500);
	assert_null(value_cpu("2", &m));
	assert_int_equal(m, 2000);
	assert_null(value_cpu("1.25", &m));
	assert_int_equal(m, 1250);
	assert_non_null(value_cpu("0.0005", &m));
	assert_non_null(value_cpu("0", &m));
	assert_non_null(value_cpu("0m", &m));
	assert_non_null(value_cpu("1.5m", &m));
	assert_non_null(value_cpu("100x", &m));
	assert_non_null(value_cpu(".5", &m));
}

static void
test_memory(void **state)
{
	long long b;

	(void)state;
	assert_null(value_memory("256Mi", &b));
	assert_int_equal(b, 256LL << 20);
	assert_null(value_memory("1G", &b));
	assert_int_equal(b, 1000000000LL);
	assert_null(value_memory("128974848", &b));
	assert_int_equal(b, 128974848LL);
	assert_null(value_memory("1k", &b));
	assert_int_equal(b, 1000);
	assert_non_null(value_memory("1Gb", &b));
	assert_non_null(value_memory("1K", &b));
	assert_non_null(value_memory("0Mi", &b));
	assert_non_null(value_memory("9999999Ei", &b));
	assert_non_null(value_memory("1.5Gi", &b));
}

static void
test_duration(void **state)
{
	int s;

	(void)state;
	assert_null(value_duration("5s", &s));
	assert_int_equal(s, 5);
	assert_null(value_duration("1m30s", &s));
	assert_int_equal(s, 90);
	assert_null(value_duration("2h", &s));
	assert_int_equal(s, 7200);
	assert_null(value_duration("2000ms", &s));
	assert_int_equal(s, 2);
	assert_null(value_duration("0s", &s));
	assert_int_equal(s, 0);
	assert_non_null(value_duration("500ms", &s));
	assert_non_null(value_duration("5", &s));
	assert_non_null(value_duration("5d", &s));
	assert_non_null(value_duration("", &s));
	assert_non_null(value_duration("s", &s));
	assert_non_null(value_duration("99999999999h", &s));
}

static void
test_paths(void **state)
{
	(void)state;
	assert_null(value_path("/app/media", false));
	assert_null(value_path("/", true));
	assert_non_null(value_path("/", false));
	assert_non_null(value_path("app", false));
	assert_non_null(value_path("/app/", false));
	assert_non_null(value_path("/app//media", false));
	assert_non_null(value_path("/app/../etc", false));
	assert_null(value_http_path("/admin/login/"));
	assert_null(value_http_path("/search?q=1&x=%20"));
	assert_non_null(value_http_path("healthz"));
	assert_non_null(value_http_path("/a b"));
	assert_non_null(value_http_path("/a#frag"));
}

static void
test_image_registry(void **state)
{
	struct arena *a = arena_new();
	struct model_image im;
	const char *why;

	(void)state;
	assert_int_equal(value_image(a, "gitea.coulomb.social/coulomb/"
	    "vergabe-teilnahme:3f9c2e1a7b4d", &im, &why), IMAGE_OK);
	assert_string_equal(im.registry, "gitea.coulomb.social");
	assert_string_equal(im.repository, "coulomb/vergabe-teilnahme");
	assert_string_equal(im.name,
	    "gitea.coulomb.social/coulomb/vergabe-teilnahme");
	assert_string_equal(im.tag, "3f9c2e1a7b4d");
	assert_null(im.digest);

	assert_int_equal(value_image(a, "localhost:5000/x@sha256:"
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	    &im, &why), IMAGE_OK);
	assert_string_equal(im.registry, "localhost:5000");
	assert_string_equal(im.repository, "x");
	assert_null(im.tag);
	assert_non_null(im.digest);
	arena_free(a);
}

static void
test_image_docker_hub(void **state)
{
	struct arena *a = arena_new();
	struct model_image im;
	const char *why;

	(void)state;
	assert_int_equal(value_image(a, "python:3.12-slim", &im, &why),
	    IMAGE_OK);
	assert_string_equal(im.registry, "docker.io");
	assert_string_equal(im.repository, "library/python");
	assert_int_equal(value_image(a, "louislam/uptime-kuma:1", &im, &why),
	    IMAGE_OK);
	assert_string_equal(im.repository, "louislam/uptime-kuma");
	/* a tag and a digest: pinned by the digest */
	assert_int_equal(value_image(a, "nginx:latest@sha256:0123456789abcd"
	    "ef0123456789abcdef0123456789abcdef0123456789abcdef", &im, &why),
	    IMAGE_OK);
	arena_free(a);
}

static void
test_image_rejected(void **state)
{
	struct arena *a = arena_new();
	struct model_image im;
	const char *why;

	(void)state;
	assert_int_equal(value_image(a, "nginx", &im, &why), IMAGE_UNPINNED);
	assert_int_equal(value_image(a, "nginx:latest", &im, &why),
	    IMAGE_LATEST);
	assert_int_equal(value_image(a, "Nginx:1", &im, &why),
	    IMAGE_INVALID);
	assert_int_equal(value_image(a, "nginx@sha256:abc", &im, &why),
	    IMAGE_INVALID);
	assert_int_equal(value_image(a, "a//b:1", &im, &why), IMAGE_INVALID);
	assert_int_equal(value_image(a, "a/b-:1", &im, &why), IMAGE_INVALID);
	assert_int_equal(value_image(a, "a__b/c:1", &im, &why), IMAGE_OK);
	assert_int_equal(value_image(a, "a___b/c:1", &im, &why),
	    IMAGE_INVALID);
	assert_int_equal(value_image(a, "x:.1", &im, &why), IMAGE_INVALID);
	arena_free(a);
}

static void
test_age_recipient(void **state)
{
	(void)state;
	assert_null(value_age_recipient("age1zp7syw7qcrm4wmp9qr6dypkvpz36raru"
	    "u6fey4p26zudet88jszsnsdqav"));
	/* 'b' is not in the Bech32 alphabet */
	assert_non_null(value_age_recipient("age1zp7syw7bcrm4wmp9qr6dypkvpz36"
	    "raruu6fey4p26zudet88jszsnsdqav"));
	assert_non_null(value_age_recipient("age1qpzry"));
	assert_non_null(value_age_recipient("AGE1ZP7SYW7QCRM4WMP9QR6DYPKVPZ36"
	    "RARUU6FEY4P26ZUDET88JSZSNSDQAV"));
	assert_non_null(value_age_recipient("ssh-ed25519"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_host_lengths),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_cpu),
		cmocka_unit_test(test_memory),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_image_registry),
		cmocka_unit_test(test_image_docker_hub),
		cmocka_unit_test(test_image_rejected),
		cmocka_unit_test(test_age_recipient),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
