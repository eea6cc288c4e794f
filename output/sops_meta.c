/* sops_meta.c: the sops: metadata block, read leniently, written as 3.13. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sops_impl.h"

/*
 * sops reads the block with mapstructure: key names match without regard
 * to case, scalars convert weakly (a number where a string is expected
 * becomes its text), unknown keys are ignored.  Layouts from 3.7 to 3.13
 * differ only in key order and in empty lists (kms: [] or null), so one
 * lenient reader takes them all.
 */

static int
key_is(const struct yaml_pair *p, const char *name)
{
	size_t i, n = strlen(name);

	if (p->key == NULL || p->keylen != n)
		return 0;
	for (i = 0; i < n; i++)
		if (tolower((unsigned char)p->key[i]) != name[i])
			return 0;
	return 1;
}

/* A scalar as mapstructure's weak decoding turns it into a string. */
static char *
weak_string(const struct yaml_node *v)
{
	struct buf b = BUF_INIT;

	switch (v->kind) {
	case YAML_STR:
		return xstrndup(v->v.str.s, v->v.str.len);
	case YAML_INT:
		buf_printf(&b, "%lld", (long long)v->v.i);
		break;
	case YAML_UINT:
		buf_printf(&b, "%llu", (unsigned long long)v->v.u);
		break;
	case YAML_FLOAT:
		yaml_fmt_float_f(&b, v->v.f);
		break;
	case YAML_BOOL:
		buf_adds(&b, v->v.b ? "1" : "0");
		break;
	case YAML_TIME:
		yaml_fmt_time(&b, &v->v.t, 0);
		break;
	default:
		buf_add(&b, "", 0);
		break;
	}
	return buf_detach(&b, NULL);
}

static int
weak_bool(const struct yaml_node *v)
{
	if (v->kind == YAML_BOOL)
		return v->v.b;
	if (v->kind == YAML_INT)
		return v->v.i != 0;
	if (v->kind == YAML_STR)
		return strcmp(v->v.str.s, "1") == 0 ||
		    strcasecmp(v->v.str.s, "t") == 0 ||
		    strcasecmp(v->v.str.s, "true") == 0;
	return 0;
}

static int
add_age(struct sops_meta *m, const struct yaml_node *list, struct buf *why)
{
	size_t i, j;

	if (list->kind == YAML_NULL)
		return SOPS_OK;
	if (list->kind != YAML_SEQ) {
		buf_adds(why, "sops.age is not a list");
		return SOPS_ERR_FORMAT;
	}
	for (i = 0; i < list->v.seq.len; i++) {
		const struct yaml_node *e = list->v.seq.items[i];
		struct sops_age_entry a = { NULL, NULL };

		if (e->kind != YAML_MAP)
			continue;
		for (j = 0; j < e->v.map.len; j++) {
			const struct yaml_pair *p = &e->v.map.items[j];

			if (key_is(p, "recipient") && a.recipient == NULL)
				a.recipient = weak_string(p->value);
			else if (key_is(p, "enc") && a.enc == NULL)
				a.enc = weak_string(p->value);
		}
		if (a.recipient == NULL)
			a.recipient = xstrdup("");
		if (a.enc == NULL)
			a.enc = xstrdup("");
		m->age = xrealloc(m->age, (m->nage + 1) * sizeof *m->age);
		m->age[m->nage++] = a;
	}
	return SOPS_OK;
}

static size_t
list_len(const struct yaml_node *v)
{
	return v->kind == YAML_SEQ ? v->v.seq.len : 0;
}

/* The master keys of a group (or of the block itself). */
static int
parse_keys(const struct yaml_node *g, struct sops_meta *m, struct buf *why)
{
	static const char *const foreign[] = { "kms", "gcp_kms", "azure_kv",
	    "hc_vault", "pgp", "hckms", NULL };
	size_t i, k;
	int rc;

	for (i = 0; i < g->v.map.len; i++) {
		const struct yaml_pair *p = &g->v.map.items[i];

		if (key_is(p, "age")) {
			if ((rc = add_age(m, p->value, why)) != SOPS_OK)
				return rc;
			continue;
		}
		for (k = 0; foreign[k] != NULL; k++)
			if (key_is(p, foreign[k]))
				m->nforeign += list_len(p->value);
	}
	return SOPS_OK;
}

/* key_groups: one group is read like the top level; more need Shamir. */
static int
parse_groups(const struct yaml_node *groups, struct sops_meta *m,
    struct buf *why)
{
	if (groups->kind != YAML_SEQ || groups->v.seq.len == 0)
		return SOPS_OK;
	if (groups->v.seq.len > 1) {
		buf_printf(why, "the file splits its data key over %zu key "
		    "groups (Shamir), which is not supported",
		    groups->v.seq.len);
		return SOPS_ERR_UNSUPPORTED;
	}
	if (groups->v.seq.items[0]->kind != YAML_MAP)
		return SOPS_OK;
	return parse_keys(groups->v.seq.items[0], m, why);
}

static int
set_rule(struct sops_meta *m, enum sops_rule r, const struct yaml_node *v,
    int *count)
{
	char *s = weak_string(v);

	if (*s == '\0') {
		free(s);
		return 0;
	}
	free(m->rule_value);
	m->rule = r;
	m->rule_value = s;
	(*count)++;
	return 0;
}

static void
scalar_fields(const struct yaml_pair *p, struct sops_meta *m, int *rules)
{
	int r;

	for (r = SOPS_UNENCRYPTED_SUFFIX; r <= SOPS_ENCRYPTED_COMMENT_REGEX;
	    r++)
		if (key_is(p, sops_rule_name((enum sops_rule)r)))
			set_rule(m, (enum sops_rule)r, p->value, rules);
	if (key_is(p, "lastmodified")) {
		free(m->lastmodified);
		m->lastmodified = weak_string(p->value);
	} else if (key_is(p, "mac")) {
		free(m->mac);
		m->mac = weak_string(p->value);
	} else if (key_is(p, "version")) {
		free(m->version);
		m->version = weak_string(p->value);
	} else if (key_is(p, "mac_only_encrypted"))
		m->mac_only_encrypted = weak_bool(p->value);
}

static int
check_meta(struct sops_meta *m, int rules, struct buf *why)
{
	struct buf aad = BUF_INIT;
	int rc;

	if (rules > 1) {
		buf_adds(why, "the metadata sets more than one rule");
		return SOPS_ERR_FORMAT;
	}
	if (rules == 0) {
		m->rule = SOPS_UNENCRYPTED_SUFFIX;
		m->rule_value = xstrdup("_unencrypted");
	}
	if (m->nage == 0 && m->nforeign == 0) {
		buf_adds(why, "no keys found in the metadata");
		return SOPS_ERR_FORMAT;
	}
	if (m->lastmodified == NULL)
		m->lastmodified = xstrdup("");
	if (m->mac == NULL)
		m->mac = xstrdup("");
	if (m->version == NULL)
		m->version = xstrdup("");
	rc = sops_meta_mac_aad(m, &aad, why);
	buf_free(&aad);
	return rc;
}

int
sops_meta_parse(const struct yaml_node *sops, struct sops_meta *m,
    struct buf *why)
{
	const struct yaml_node *groups = NULL;
	size_t i;
	int rules = 0, rc;

	memset(m, 0, sizeof *m);
	if (sops->kind != YAML_MAP) {
		buf_adds(why, "the sops entry is not a mapping");
		return SOPS_ERR_FORMAT;
	}
	for (i = 0; i < sops->v.map.len; i++) {
		const struct yaml_pair *p = &sops->v.map.items[i];

		if (p->key == NULL)
			continue;
		if (key_is(p, "key_groups"))
			groups = p->value;
		else
			scalar_fields(p, m, &rules);
	}
	if ((rc = parse_keys(sops, m, why)) != SOPS_OK)
		return rc;
	/* Top-level key lists win; key_groups only when they are absent. */
	if (m->nage == 0 && m->nforeign == 0 && groups != NULL &&
	    (rc = parse_groups(groups, m, why)) != SOPS_OK)
		return rc;
	return check_meta(m, rules, why);
}

void
sops_meta_free(struct sops_meta *m)
{
	size_t i;

	for (i = 0; i < m->nage; i++) {
		free(m->age[i].recipient);
		free(m->age[i].enc);
	}
	free(m->age);
	free(m->rule_value);
	free(m->lastmodified);
	free(m->mac);
	free(m->version);
	memset(m, 0, sizeof *m);
}

/* sops parses lastmodified as RFC 3339 and prints it back for the AAD:
 * the fraction goes, a zero offset becomes Z. */
int
sops_meta_mac_aad(const struct sops_meta *m, struct buf *aad,
    struct buf *why)
{
	struct yaml_time t;

	if (yaml_parse_rfc3339(m->lastmodified, strlen(m->lastmodified),
	    &t) != 0) {
		buf_printf(why, "lastmodified '%s' is not an RFC 3339 time",
		    m->lastmodified);
		return SOPS_ERR_FORMAT;
	}
	t.nsec = 0;
	yaml_fmt_time(aad, &t, 0);
	return SOPS_OK;
}

/*
 * 3.13 turns the block into a map and writes its keys sorted: age (each
 * entry enc, recipient), the rule, lastmodified, mac, mac_only_encrypted,
 * version; empty fields are left out.
 */
struct yaml_node *
sops_meta_node(const struct sops_meta *m)
{
	struct yaml_node *n = yaml_map_new(), *list, *e;
	const char *rule = sops_rule_name(m->rule);
	size_t i;

	if (m->nage > 0) {
		list = yaml_seq_new();
		for (i = 0; i < m->nage; i++) {
			e = yaml_map_new();
			yaml_map_add(e, "enc", yaml_str(m->age[i].enc));
			yaml_map_add(e, "recipient",
			    yaml_str(m->age[i].recipient));
			yaml_seq_add(list, e);
		}
		yaml_map_add(n, "age", list);
	}
	if (strcmp(rule, "lastmodified") < 0)
		yaml_map_add(n, rule, yaml_str(m->rule_value));
	yaml_map_add(n, "lastmodified", yaml_str(m->lastmodified));
	yaml_map_add(n, "mac", yaml_str(m->mac));
	if (m->mac_only_encrypted)
		yaml_map_add(n, "mac_only_encrypted", yaml_bool(1));
	if (strcmp(rule, "mac_only_encrypted") > 0)
		yaml_map_add(n, rule, yaml_str(m->rule_value));
	yaml_map_add(n, "version", yaml_str(m->version));
	return n;
}
