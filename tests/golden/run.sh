#!/bin/sh
# golden: railgen's diagnostics, model dumps and command line, each
# compared with diff -u against the expected output kept beside its input.
#
#   errors/NAME.rail, or errors/NAME/*.rail compiled together:
#	must exit 1, print nothing on stdout and exactly errors/NAME.stderr
#   model/NAME.json: the --dump-model output for model/NAME.rail, or for
#	the files listed in model/NAME.args (paths from the top of the tree)
#   cli/NAME.args: arguments (shell words, run in cli/); the exit status
#	must be cli/NAME.status and the output cli/NAME.stdout and
#	cli/NAME.stderr (each absent file means: empty)
#
# GOLDEN_UPDATE=1 rewrites the expected files from what railgen prints;
# review the diff before committing it.
. "$(dirname "$0")/../lib.sh"

G=$TOP/tests/golden
T=$(mktemp_dir)

# same NAME EXPECTED ACTUAL: passes when the files are equal; an
# expected file that does not exist stands for empty output.
same() {
	want=$2
	if [ "${GOLDEN_UPDATE:-}" = 1 ]; then
		if [ -s "$3" ]; then cp "$3" "$2"; else rm -f "$2"; fi
		return 0
	fi
	[ -f "$want" ] || want=/dev/null
	if ! diff -u "$want" "$3" > "$T/diff"; then
		fail "$1" "output differs:
$(head -n 40 "$T/diff")"
		return 1
	fi
}

# One negative case: exit 1, no stdout, the expected stderr.
error_case() {
	name=$1; shift
	(cd "$G/errors" && "$RAILGEN" --dump-model "$@") \
	    > "$T/out" 2> "$T/err"
	status=$?
	if [ "$status" -ne 1 ]; then
		fail "errors/$name" "exit status $status, not 1"
	elif [ -s "$T/out" ]; then
		fail "errors/$name" "wrote to stdout"
	elif same "errors/$name" "$G/errors/$name.stderr" "$T/err"; then
		ok "errors/$name"
	fi
}

for f in "$G"/errors/*.rail; do
	[ -e "$f" ] || continue
	name=$(basename "$f" .rail)
	error_case "$name" "$name.rail"
done
for d in "$G"/errors/*/; do
	[ -d "$d" ] || continue
	name=$(basename "$d")
	files=$(cd "$G/errors" && ls "$name"/*.rail)
	# shellcheck disable=SC2086  # one word per file, no blanks in names
	error_case "$name" $files
done

# A model dump must also be the same bytes on a second run.
model_case() {
	name=$1; dir=$2; shift 2
	if ! (cd "$dir" && "$RAILGEN" --dump-model "$@") > "$T/out" \
	    2> "$T/err"; then
		fail "model/$name" "railgen failed: $(cat "$T/err")"
		return
	fi
	(cd "$dir" && "$RAILGEN" --dump-model "$@") > "$T/again" 2>&1
	if ! cmp -s "$T/out" "$T/again"; then
		fail "model/$name" "second run printed other bytes"
	elif [ -s "$T/err" ]; then
		fail "model/$name" "printed diagnostics: $(cat "$T/err")"
	elif ! python3 -c 'import json, sys; json.load(sys.stdin)' \
	    < "$T/out" > "$T/json" 2>&1; then
		fail "model/$name" "not JSON to python3: $(cat "$T/json")"
	elif same "model/$name" "$G/model/$name.json" "$T/out"; then
		ok "model/$name"
	fi
}

for f in "$G"/model/*.json; do
	[ -e "$f" ] || continue
	name=$(basename "$f" .json)
	if [ -f "$G/model/$name.rail" ]; then
		model_case "$name" "$G/model" "$name.rail"
	else
		# shellcheck disable=SC2046  # the .args file lists words
		model_case "$name" "$TOP" $(cat "$G/model/$name.args")
	fi
done

# The cases run in a copy of cli/, since compiling writes output there.
cp -R "$G/cli" "$T/cli"
for f in "$G"/cli/*.args; do
	[ -e "$f" ] || continue
	name=$(basename "$f" .args)
	want=$(cat "$G/cli/$name.status" 2>/dev/null)
	(cd "$T/cli" && eval "\"\$RAILGEN\" $(cat "$f")") \
	    > "$T/out" 2> "$T/err" < /dev/null
	status=$?
	if [ "${GOLDEN_UPDATE:-}" = 1 ]; then
		echo "$status" > "$G/cli/$name.status"
		want=$status
	fi
	if [ "$status" != "$want" ]; then
		fail "cli/$name" "exit status $status, not $want"
	elif same "cli/$name" "$G/cli/$name.stdout" "$T/out" &&
	    same "cli/$name" "$G/cli/$name.stderr" "$T/err"; then
		ok "cli/$name"
	fi
done

done_testing
