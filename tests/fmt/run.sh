#!/bin/sh
# run.sh: railgen fmt: the canonical layout, kept comments and meaning,
# --check, and how files are rewritten (or left alone).
#
#   cases/NAME.in    a badly laid out file; cases/NAME.out its canonical
#                    form, written by hand from docs/language.md
#   tree/FILE        every .rail file of the tree: one that parses must be
#                    canonical, and fmt must turn tool.py's mangled copy
#                    of it back into it; one with syntax errors must get
#                    the compiler's diagnostics and be left alone
#
# Every formatting must also be idempotent and keep the comments (kind,
# text, order) and the model or diagnostics of --dump-model (positions
# aside), as tool.py, which reads .rail text on its own, compares them.
. "$(dirname "$0")/../lib.sh"

T=$(mktemp_dir)
HERE=$TOP/tests/fmt
tool() { python3 "$HERE/tool.py" "$@"; }
old=200001010000
stamp() { stat -c '%i %Y %a' "$1"; }

# Each file formatted gets a directory DIR: DIR/a/NAME is the input,
# DIR/b/NAME its canonical form, DIR/a.* and DIR/b.* their model dumps,
# and DIR/why collects what is wrong.  "tool.py verify" compares the
# comments and the models of all of them in one go.

# dump STEM DIR NAME: --dump-model of NAME run in DIR, into STEM.*
dump() {
	(cd "$2" && "$RAILGEN" --dump-model "$3") > "$1.out" 2> "$1.err"
	echo $? > "$1.status"
}

# prepare DIR IN WANT: formats IN; the result must be WANT and format to
# itself.  Adds DIR to $verify when there is something to compare.
verify=
prepare() {
	name=$(basename "$3")
	mkdir -p "$1/a" "$1/b"
	echo "$name" > "$1/name"
	cp "$2" "$1/a/$name"
	if ! "$RAILGEN" fmt < "$2" > "$1/b/$name" 2> "$1/err"; then
		echo "fmt failed: $(cat "$1/err")" >> "$1/why"
		return
	fi
	if ! diff -u "$3" "$1/b/$name" > "$1/diff"; then
		echo "not the canonical form:" >> "$1/why"
		head -n 30 "$1/diff" >> "$1/why"
	fi
	"$RAILGEN" fmt < "$1/b/$name" > "$1/again" 2>&1
	cmp -s "$1/b/$name" "$1/again" ||
	    echo "not idempotent: $(diff "$1/b/$name" "$1/again")" >> "$1/why"
	dump "$1/a" "$1/a" "$name"
	dump "$1/b" "$1/b" "$name"
	verify="$verify $1"
}

# report DIR NAME: ok, or FAIL with DIR/why.
report() {
	if [ -s "$1/why" ]; then fail "$2" "$(cat "$1/why")"; else ok "$2"; fi
}

# A file with syntax errors: exit 1, the compiler's diagnostics, and the
# file as it was (bytes, inode, mtime); --check fails and lists nothing.
syntax_error() {
	cp "$1" "$2/in.rail"
	touch -t $old "$2/in.rail"
	before=$(stamp "$2/in.rail")
	(cd "$2" && "$RAILGEN" --dump-model in.rail) > /dev/null 2> "$2/want"
	(cd "$2" && "$RAILGEN" fmt in.rail) > "$2/out" 2> "$2/err"
	status=$?
	if [ "$status" -ne 1 ] || [ -s "$2/out" ]; then
		echo "exit status $status, output: $(cat "$2/out")"
	elif ! diff -u "$2/want" "$2/err" > "$2/diff"; then
		echo "diagnostics differ from compile mode: $(head "$2/diff")"
	elif ! cmp -s "$1" "$2/in.rail" ||
	    [ "$(stamp "$2/in.rail")" != "$before" ]; then
		echo "the file was touched"
	elif (cd "$2" && "$RAILGEN" fmt --check in.rail) > "$2/out" \
	    2>/dev/null || [ -s "$2/out" ]; then
		echo "--check did not fail, or listed the file"
	fi
}

# ---- hand-written cases: NAME.in must format to NAME.out -------------------
for f in "$HERE"/cases/*.in; do
	name=$(basename "$f" .in)
	mkdir -p "$T/case/$name"
	prepare "$T/case/$name" "$f" "$HERE/cases/$name.out"
done

# ---- every .rail file of the tree --------------------------------------
# One that parses must be canonical, and fmt must turn tool.py's mangled
# copy of it back into it, with the same comments and model.
files=$(cd "$TOP" && find examples tests -name '*.rail' | LC_ALL=C sort)
n=0
pairs=
for f in $files; do
	n=$((n + 1))
	d=$T/tree/$n
	mkdir -p "$d/m"
	if ! "$RAILGEN" fmt < "$TOP/$f" > /dev/null 2>&1; then
		syntax_error "$TOP/$f" "$d" > "$d/why"
		continue
	fi
	if ! out=$("$RAILGEN" fmt --check "$TOP/$f" 2>&1) || [ -n "$out" ]
	then
		echo "not canonical (run railgen fmt on it): $out" > "$d/why"
	fi
	pairs="$pairs $TOP/$f $d/m/$(basename "$f")"
	echo "$f" > "$d/tree"
done
# shellcheck disable=SC2086  # pairs of paths without blanks
tool mangle $pairs
for d in "$T"/tree/*/; do
	[ -f "$d/tree" ] || continue
	f=$(cat "$d/tree")
	prepare "${d%/}" "$d/m/$(basename "$f")" "$TOP/$f"
done

# shellcheck disable=SC2086  # directories without blanks
tool verify $verify
for f in "$HERE"/cases/*.in; do
	name=$(basename "$f" .in)
	report "$T/case/$name" "case/$name"
done
n=0
for f in $files; do
	n=$((n + 1))
	report "$T/tree/$n" "tree/$f"
done
# The examples and golden inputs, at least, were found.
if [ "$n" -ge 90 ]; then ok tree-count; else fail tree-count "$n files"; fi

# ---- the command -------------------------------------------------------
D=$T/cmd
mkdir -p "$D"
messy=$HERE/cases/layout.in
canon=$HERE/cases/layout.out

# --check: exit 0 and silent when canonical; 1 and the names otherwise.
cp "$canon" "$D/good.rail"
cp "$messy" "$D/messy.rail"
printf 'app x {\n\tport = = 1\n}\n' > "$D/bad.rail"
(cd "$D" && "$RAILGEN" fmt --check good.rail) > "$T/out" 2>&1
status=$?
if [ $status -eq 0 ] && [ ! -s "$T/out" ]; then
	ok check-canonical
else
	fail check-canonical "exit $status: $(cat "$T/out")"
fi
(cd "$D" && "$RAILGEN" fmt --check good.rail messy.rail good.rail) \
    > "$T/out" 2> "$T/err"
status=$?
if [ $status -eq 1 ] && [ "$(cat "$T/out")" = messy.rail ] &&
    [ ! -s "$T/err" ] && cmp -s "$messy" "$D/messy.rail"; then
	ok check-lists-changed
else
	fail check-lists-changed "exit $status: $(cat "$T/out" "$T/err")"
fi
(cd "$D" && "$RAILGEN" fmt --check - < messy.rail) > "$T/out" 2>&1
status=$?
if [ $status -eq 1 ] && [ "$(cat "$T/out")" = "<stdin>" ]; then
	ok check-stdin
else
	fail check-stdin "exit $status: $(cat "$T/out")"
fi

# An unchanged file keeps its inode and mtime; a changed one is replaced
# (a new inode) with its mode, and no temporary file stays behind.
touch -t $old "$D/good.rail" "$D/messy.rail"
chmod 640 "$D/messy.rail"
before=$(stamp "$D/good.rail")
messy_before=$(stamp "$D/messy.rail")
(cd "$D" && "$RAILGEN" fmt good.rail messy.rail) > "$T/out" 2>&1
status=$?
if [ $status -ne 0 ] || [ -s "$T/out" ]; then
	fail rewrite "exit $status: $(cat "$T/out")"
elif [ "$(stamp "$D/good.rail")" != "$before" ]; then
	fail unchanged-untouched "$before became $(stamp "$D/good.rail")"
else
	ok unchanged-untouched
	set -- $messy_before
	# shellcheck disable=SC2046  # three words: inode, mtime, mode
	set -- "$@" $(stamp "$D/messy.rail")
	if ! cmp -s "$canon" "$D/messy.rail"; then
		fail rewrite "not canonical afterwards"
	elif [ "$1" = "$4" ] || [ "$2" = "$5" ] || [ "$6" != 640 ]; then
		fail rewrite "inode, mtime, mode $messy_before, then $4 $5 $6"
	elif [ "$(ls -A "$D" | wc -l)" -ne 3 ]; then
		fail rewrite "left files behind: $(ls -A "$D")"
	else
		ok rewrite
	fi
fi

# A symbolic link is followed: its target is rewritten, the link stays.
mkdir -p "$D/real"
cp "$messy" "$D/real/target.rail"
ln -s real/target.rail "$D/link.rail"
if (cd "$D" && "$RAILGEN" fmt link.rail) 2> "$T/err" &&
    [ -L "$D/link.rail" ] && cmp -s "$canon" "$D/real/target.rail"; then
	ok symlink
else
	fail symlink "$(cat "$T/err"; ls -l "$D")"
fi

# A file with a syntax error is left alone; the others are formatted.
cp "$messy" "$D/messy.rail"
cp "$D/bad.rail" "$T/bad.orig"
(cd "$D" && "$RAILGEN" fmt bad.rail messy.rail) > "$T/out" 2> "$T/err"
status=$?
if [ $status -eq 1 ] && cmp -s "$T/bad.orig" "$D/bad.rail" &&
    cmp -s "$canon" "$D/messy.rail" &&
    grep -q "^bad.rail:2:16: error: syntax error" "$T/err"; then
	ok syntax-error-others-formatted
else
	fail syntax-error-others-formatted "exit $status: $(cat "$T/err")"
fi

# Standard input: no file and "-" both format it to standard output.
"$RAILGEN" fmt < "$messy" > "$T/out1" 2>&1
"$RAILGEN" fmt - < "$messy" > "$T/out2" 2>&1
if cmp -s "$canon" "$T/out1" && cmp -s "$canon" "$T/out2"; then
	ok stdin
else
	fail stdin "$(head "$T/out1")"
fi
if "$RAILGEN" fmt < "$D/bad.rail" > "$T/out" 2> "$T/err"; then
	fail stdin-syntax-error "exit 0"
elif [ -s "$T/out" ] || ! grep -q '^<stdin>:2:16: error:' "$T/err"; then
	fail stdin-syntax-error "$(cat "$T/out" "$T/err")"
else
	ok stdin-syntax-error
fi

# Exit statuses of the command line and of I/O failures.
status_is() {
	name=$1 want=$2
	shift 2
	(cd "$D" && "$@") > "$T/out" 2>&1 < /dev/null
	status=$?
	if [ $status -eq "$want" ]; then
		ok "$name"
	else
		fail "$name" "exit $status, not $want: $(cat "$T/out")"
	fi
}
status_is usage-unknown-option 2 "$RAILGEN" fmt --chek good.rail
status_is usage-help 0 "$RAILGEN" fmt --help
status_is missing-file 3 "$RAILGEN" fmt nosuch.rail
status_is directory 3 "$RAILGEN" fmt real
status_is not-regular 1 "$RAILGEN" fmt /dev/null
status_is double-dash 0 "$RAILGEN" fmt -- good.rail
if "$RAILGEN" fmt < "$messy" > /dev/full 2> "$T/err"; then
	fail stdout-full "exit 0"
elif [ $? -ne 3 ] || ! grep -q 'standard output' "$T/err"; then
	fail stdout-full "$(cat "$T/err")"
else
	ok stdout-full
fi

done_testing
