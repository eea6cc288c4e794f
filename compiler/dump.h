/* dump.h: the checked model as JSON, for --dump-model and golden tests. */
#ifndef RAILGEN_DUMP_H
#define RAILGEN_DUMP_H

#include "buf.h"
#include "model.h"

/*
 * Appends the model to out as JSON: two-space indentation, keys in the
 * order of the fields in model.h (and named after them), arrays in
 * source order, a final newline.  The same model gives the same bytes.
 */
void	dump_model_json(const struct model *, struct buf *out);

#endif
