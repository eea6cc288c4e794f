/* sops_file.c: a SOPS YAML file: its documents and metadata, in and out. */
#include <stdlib.h>
#include <string.h>

#include "sops_impl.h"

/* Every document must be a mapping; an empty one is an empty mapping. */
static int
check_roots(struct yaml_docs *docs, struct buf *why)
{
	size_t i;

	for (i = 0; i < docs->len; i++) {
		if (docs->docs[i]->kind == YAML_NULL)
			yaml_node_replace(docs->docs[i], yaml_map_new());
		if (docs->docs[i]->kind != YAML_MAP) {
			buf_printf(why, "document %zu is a %s, not a mapping",
			    i + 1, yaml_kind_name(docs->docs[i]->kind));
			return SOPS_ERR_FORMAT;
		}
	}
	return SOPS_OK;
}

int
sops_file_parse(const char *text, size_t len, struct sops_file **out,
    struct buf *why)
{
	struct sops_file *f = xcalloc(1, sizeof *f);
	struct yaml_node *meta = NULL;
	size_t i;
	int rc;

	*out = NULL;
	if (yaml_parse(text, len, &f->docs, why) != 0) {
		rc = SOPS_ERR_FORMAT;
		goto fail;
	}
	if ((rc = check_roots(&f->docs, why)) != SOPS_OK)
		goto fail;
	/* Only the first document's sops entry counts; others go. */
	if (f->docs.len > 0)
		meta = yaml_map_take(f->docs.docs[0], "sops");
	for (i = 1; i < f->docs.len; i++)
		yaml_node_free(yaml_map_take(f->docs.docs[i], "sops"));
	if (meta == NULL) {
		buf_adds(why, "sops metadata not found");
		rc = SOPS_ERR_FORMAT;
		goto fail;
	}
	rc = sops_meta_parse(meta, &f->meta, why);
	yaml_node_free(meta);
	if (rc != SOPS_OK)
		goto fail;
	*out = f;
	return SOPS_OK;
fail:
	sops_file_free(f);
	return rc;
}

void
sops_file_free(struct sops_file *f)
{
	if (f == NULL)
		return;
	yaml_docs_free(&f->docs);
	sops_meta_free(&f->meta);
	free(f);
}

void
sops_file_emit(struct sops_file *f, struct buf *out)
{
	struct yaml_node *meta = sops_meta_node(&f->meta);
	size_t i;

	/* The block ends every document, as sops writes it. */
	for (i = 0; i < f->docs.len; i++)
		yaml_map_add(f->docs.docs[i], "sops", yaml_node_copy(meta));
	yaml_emit(out, f->docs.docs, f->docs.len, 4);
	for (i = 0; i < f->docs.len; i++) {
		struct yaml_node *root = f->docs.docs[i];

		yaml_node_free(root->v.map.items[root->v.map.len - 1].value);
		free(root->v.map.items[root->v.map.len - 1].key);
		root->v.map.len--;
	}
	yaml_node_free(meta);
}
