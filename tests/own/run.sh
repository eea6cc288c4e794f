#!/bin/sh
# run.sh: the output directory as railgen owns it: --check and its drift,
# the ownership record, pruning, hand edits, fleets and directory input.
#
# Outside tools judge the results: GNU patch and git apply take the diffs
# --check prints, sha256sum -c reads the ownership record, make runs the
# Makefile index.  Every --check runs without an age key: no SOPS_AGE_*
# variable and HOME an empty directory.  Needs no ../shared.
. "$(dirname "$0")/../lib.sh"

unset MAKEFLAGS MFLAGS MAKELEVEL
# The fleet's shop takes one secret from the environment when it is
# first made; it must never show up anywhere (see the last case).
SHOP_STRIPE_API_KEY=sk_test_own_suite_do_not_ship
export SHOP_STRIPE_API_KEY
T=$(mktemp_dir)
mkdir -p "$T/home"
cp -R "$TOP/examples/fleet" "$T/rail"
cd "$T" || exit 1

# nokey CMD...: CMD with no age identity anywhere it could be found.
nokey() {
	env -u SOPS_AGE_KEY -u SOPS_AGE_KEY_FILE -u XDG_CONFIG_HOME \
	    HOME="$T/home" "$@"
}

# rg ARGS...: railgen in $T, output in out.{status,stdout,stderr}.
rg() {
	nokey "$RAILGEN" "$@" > out.stdout 2> out.stderr
	echo $? > out.status
}

# expect NAME STATUS [GREP...]: the last rg exited STATUS and its stderr
# holds every line given (fixed strings).
expect() {
	e_name=$1 e_status=$2
	shift 2
	if [ "$(cat out.status)" != "$e_status" ]; then
		fail "$e_name" "exit $(cat out.status), not $e_status:
$(head -n 20 out.stderr)"
		return 1
	fi
	for e_want; do
		if ! grep -qF -- "$e_want" out.stderr; then
			fail "$e_name" "no '$e_want' in:
$(head -n 20 out.stderr)"
			return 1
		fi
	done
	ok "$e_name"
}

# state DIR: every file below DIR with its hash, mode and mtime, and
# every directory: the same before and after means nothing was touched.
state() {
	(cd "$1" && find . -print | LC_ALL=C sort | while read -r f; do
		if [ -f "$f" ]; then
			printf '%s %s %s\n' "$f" "$(stat -c '%a %Y %i' "$f")" \
			    "$(sha256sum < "$f" | cut -c1-16)"
		else
			printf '%s/\n' "$f"
		fi
	done)
}

# fresh DIR [FILES...]: DIR as railgen writes it from FILES, by default
# rail/ as it was first compiled (copied: every fsync costs time).
fresh() {
	f_dir=$1
	shift
	rm -rf "$f_dir"
	if [ $# -eq 0 ] && [ -d base ]; then
		cp -a base "$f_dir"
		return
	fi
	[ $# -gt 0 ] || set -- rail/
	nokey "$RAILGEN" -o "$f_dir" "$@" > /dev/null 2>&1
}

# The diff writer: shortest scripts (as diff --minimal finds them) that
# GNU patch applies, on random texts.
mkdir -p dc
check diff/minimal-and-applies python3 "$TOP/tests/own/diffcheck.py" \
    "$TOP/$BUILD/tests/bin/difftool" dc railgen 600

# current DIR [FILES...]: DIR is what railgen writes from FILES (rail/).
# Trees compiled apart hold different ciphertexts, so trees are compared
# this way rather than with diff -r against a fresh compile.
current() {
	c_dir=$1
	shift
	[ $# -gt 0 ] || set -- rail/
	nokey "$RAILGEN" --check -o "$c_dir" "$@" > current.out 2>&1 ||
	    { cat current.out; return 1; }
}

# Check: identical, then drift of each kind.

fresh base
fresh out
rg --check -o out rail/
expect check/identical 0 && check check/identical-quiet \
    test ! -s out.stdout -a ! -s out.stderr
check record/sha256sum sh -c 'cd out && sha256sum --strict --quiet -c \
    .railgen-owned'
check record/lists-every-file sh -c 'cd out && [ "$(find . -type f \
    ! -name .railgen-owned | sed "s|^\./||" | LC_ALL=C sort)" = \
    "$(grep -v "^#" .railgen-owned | cut -c67-)" ]'

printf '# tuned by hand\n' >> out/mk/shop.mk
printf 'extra: 1\n' >> out/releases/shop/values.yaml
rg --check -o out rail/
expect check/content 1 \
    "railgen: drift: out/mk/shop.mk: differs, edited by hand since" \
    "railgen: drift: out/releases/shop/values.yaml: differs"
check check/content-diff-labels grep -qx -- '--- a/mk/shop.mk' out.stdout
# The diff turns the directory into what railgen writes, for GNU patch
# and for git apply alike.
fresh want
for tool in patch git; do
	rm -rf "applied-$tool"
	cp -R out "applied-$tool"
	if [ $tool = patch ]; then
		(cd "applied-$tool" && patch -s -p1 < ../out.stdout) \
		    > "$tool.log" 2>&1
	else
		(cd "applied-$tool" && git apply -p1 ../out.stdout) \
		    > "$tool.log" 2>&1
	fi
	check "check/diff-applies-$tool" diff -r want "applied-$tool"
done

fresh out
rm out/manifests/analytics-ingress.yaml out/.railgen-owned
rg --check -o out rail/
expect check/missing 1 \
    "railgen: drift: out/manifests/analytics-ingress.yaml: missing" \
    "railgen: drift: out/.railgen-owned: missing" &&
    check check/missing-no-diff test ! -s out.stdout

fresh out
chmod +x out/docs/shop.md
rg --check -o out rail/
expect check/mode 1 \
    "railgen: drift: out/docs/shop.md: should not be executable"

# Extra: generated before, no longer produced.
fresh out
rg --check -o out rail/platform.rail rail/shop.rail
expect check/extra 1 \
    "railgen: drift: out/mk/analytics.mk: no longer generated" \
    "railgen: drift: out/releases/status/values.yaml: no longer generated"
# A file railgen did not write is never drift.
fresh out
printf 'mine\n' > out/mk/local.mk
rg --check -o out rail/
expect check/foreign-ignored 0

rg --check -o nowhere rail/
expect check/no-directory 1 "railgen: drift: nowhere/mk/shop.mk: missing"

printf 'railgen-journal 1\npublished 0\nend\n' > out/.railgen-journal
rg --check -o out rail/
expect check/interrupted 1 "out: a run was interrupted while writing"
rm out/.railgen-journal

# --check writes nothing, even where everything differs.
fresh out
printf 'x\n' >> out/mk/shop.mk
before=$(state out)
rg --check -o out rail/
check check/writes-nothing test "$before" = "$(state out)"

# Compile: hand edits and someone else's files.

fresh out
printf '# tuned by hand\n' >> out/mk/shop.mk
# A change to the input that would rewrite other files too.
sed -i 's/v2.4.1/v2.4.2/' rail/shop.rail
before=$(state out)
rg -o out rail/
expect compile/hand-edit-refused 1 \
    "railgen: error: 'out/mk/shop.mk' was edited by hand since railgen" \
    "-# tuned by hand" "hint: nothing was written" &&
    check compile/hand-edit-diff grep -qx -- '--- a/mk/shop.mk' out.stderr
check compile/hand-edit-nothing-written test "$before" = "$(state out)"
rg --force -o out rail/
expect compile/force 0 "'out/mk/shop.mk' was edited by hand since railgen \
wrote it; overwritten (--force)"
rg --check -o out rail/
expect compile/force-then-current 0
sed -i 's/v2.4.2/v2.4.1/' rail/shop.rail

rm -rf out
mkdir -p out/mk
printf 'all:\n\techo mine\n' > out/mk/shop.mk
before=$(state out)
rg -o out rail/
expect compile/foreign-refused 1 \
    "railgen: error: 'out/mk/shop.mk' was not written by railgen" \
    "hint: out has no .railgen-owned: if an earlier railgen wrote" &&
    check compile/foreign-nothing-written test "$before" = "$(state out)"
rg -o out --force rail/
expect compile/foreign-force 0

fresh want
check compile/foreign-force-result current out
check compile/foreign-force-replaced cmp want/mk/shop.mk out/mk/shop.mk

# A symbolic link where a directory of the previous SOPS files stood is
# refused, not followed, even with --force; what it points at is left as
# it was.
mv out/helm elsewhere
ln -s ../elsewhere out/helm
before=$(state elsewhere)
rg -o out --force rail/
expect compile/symlink-refused 3 \
    "railgen: error: cannot open the directory of out/helm/" \
    ": a symbolic link or a file is in the way" &&
    check compile/symlink-not-followed test "$before" = "$(state elsewhere)"
rm -rf out elsewhere

# The previous SOPS file itself a link, or a directory: refused by name.
fresh out
ln -sf ../mk/shop.mk out/helm/shop-values.sops.yaml
rg -o out --force rail/
expect compile/sops-link-refused 3 \
    "cannot read out/helm/shop-values.sops.yaml: it is a symbolic link"
rm out/helm/shop-values.sops.yaml
mkdir out/helm/shop-values.sops.yaml
rg -o out --force rail/
expect compile/sops-dir-refused 3 \
    "cannot read out/helm/shop-values.sops.yaml: it is not a regular file"
rm -rf out

# The same bytes railgen would write: adopted, not refused.
rm -rf out
mkdir -p out/mk
cp want/mk/shop.mk out/mk/shop.mk
rg -o out rail/
expect compile/identical-adopted 0

printf 'not a record\n' > out/.railgen-owned
rg -o out rail/
expect compile/record-malformed 1 \
    "'out/.railgen-owned' is not a record railgen wrote (line 1:"
rg -o out --force rail/
expect compile/record-malformed-force 0 &&
    check compile/record-malformed-force-result current out

# Pruning.

fresh out
mkdir -p out/notes
printf 'mine\n' > out/notes/todo.txt
printf 'mine\n' > out/mk/local.mk
printf 'mine\n' > out/releases/status/extra.yaml
mine_before=$(state out | grep -e notes -e local.mk -e extra.yaml)
rg -o out rail/platform.rail rail/shop.rail
expect prune/compile 0
check prune/files-gone test ! -e out/mk/analytics.mk -a \
    ! -e out/releases/analytics -a ! -e out/docs/status.md
check prune/hand-written-kept test "$mine_before" = \
    "$(state out | grep -e notes -e local.mk -e extra.yaml)"
check prune/dir-with-own-file-kept test -d out/releases/status/ -a \
    "$(ls -A out/releases/status)" = extra.yaml
check prune/result current out rail/platform.rail rail/shop.rail
check prune/record-current sh -c 'cd out && sha256sum --quiet -c \
    .railgen-owned'

fresh out
printf 'edited\n' >> out/docs/analytics.md
before=$(state out)
rg -o out rail/platform.rail rail/shop.rail
expect prune/edited-refused 1 "railgen: error: 'out/docs/analytics.md' \
was edited by hand and is no longer generated" "+++ /dev/null" &&
    check prune/edited-nothing-written test "$before" = "$(state out)"

# Unchanged files keep their inode and mtime; others' files are untouched.
fresh out
printf 'mine\n' > out/mk/local.mk
touch -d '2001-01-01' out/mk/local.mk out/mk/shop.mk
before=$(state out)
rg -o out rail/
expect compile/again-touches-nothing 0 &&
    check compile/again-same-state test "$before" = "$(state out)"

# Fleets and directory input.

# The same fleet in another order, or named by its directory, is the
# same tree: --check passes and a compile over it changes no byte.
fresh a
for order in "shuffled rail/shop.rail rail/tools.rail rail/platform.rail" \
    "reversed rail/tools.rail rail/shop.rail rail/platform.rail" \
    "glob rail/platform.rail rail/shop.rail rail/tools.rail" \
    "dir-without-slash rail"; do
	name=${order%% *}
	order=${order#* }
	# shellcheck disable=SC2086  # one word per file
	check "fleet/order-check-$name" current a $order
	rm -rf b
	cp -a a b
	# shellcheck disable=SC2086
	rg -o b $order
	expect "fleet/order-compile-$name" 0 &&
	    check "fleet/order-same-$name" diff -r a b
done
want='# Generated by railgen from rail/shop.rail, rail/tools.rail; do not edit.'
check fleet/index-header grep -qxF "$want" a/railgen.mk

# The Makefile index includes every fragment; help lists every target
# each fragment lists.
(cd a && make -s -f railgen.mk help) > help.out 2> help.err
check fleet/index-help-quiet test ! -s help.err
missing=
for mk in a/mk/*.mk; do
	for t in $(sed -n "s/^	@printf '  %-24s %s\\\\n' \([a-z0-9-]*\) .*/\1/p" \
	    "$mk"); do
		grep -q "^  $t " help.out || missing="$missing $t"
	done
done
check fleet/index-help-lists-all test -z "$missing" -a \
    "$(grep -c '^  [a-z]' help.out)" -ge 20
check fleet/index-runs-targets sh -c 'cd a && make -n -f railgen.mk \
    shop-deploy analytics-status status-logs > /dev/null'
check fleet/index-apps sh -c "cd a && make -s -f railgen.mk \
    --eval 'p:;@echo \$(RAILGEN_APPS)' p | grep -qx 'analytics shop status'"

# One database name in two clusters is no conflict.
mkdir -p two
for n in 1 2; do
	cat > two/app$n.rail <<EOF
app app$n {
	image registry.example.org/app:1.0
	database appdata {
		cluster pg$n in databases
	}
	recipients age1zp7syw7qcrm4wmp9qr6dypkvpz36raruu6fey4p26zudet88jszsnsdqav
}
EOF
done
rg -o two-out two/
expect fleet/database-in-two-clusters 0

# docs/ci.md: its workflow parses, installs what the build needs, and
# its check step works in the layout the page describes.

md=$(tool_npm yaml@2.9.1) || fail tools "npm install of yaml failed"
sed -n '/^```yaml$/,/^```$/p' "$TOP/docs/ci.md" | sed '1d;$d' > ci.yaml
cat > ci.cjs <<'EOF'
const fs = require('fs');
const { parse } = require(process.argv[2] + '/node_modules/yaml');
const w = parse(fs.readFileSync(process.argv[3], 'utf8'));
const job = w.jobs.drift;
const steps = job.steps;
if (job.container.image !== 'debian:12') throw new Error('not debian:12');
if (!steps.some((s) => /^actions\/checkout@/.test(s.uses || '')))
	throw new Error('no checkout step');
if (JSON.stringify(w).includes('SOPS_AGE')) throw new Error('an age key');
fs.writeFileSync(process.argv[4] + '.install', steps[0].run);
fs.writeFileSync(process.argv[4] + '.check', steps[steps.length - 1].run);
EOF
if node ci.cjs "$md" ci.yaml ci > ci.err 2>&1; then
	ok ci-doc/workflow-parses
	missing=
	for p in $(sed -n '/^build="/,/"$/p' "$TOP/build-aux/deps" |
	    sed 's/^build=//' | tr -d '"'); do
		# cmocka is for the tests only.
		[ "$p" = libcmocka-dev ] && continue
		grep -qw -- "$p" ci.install || missing="$missing $p"
	done
	check ci-doc/installs-build-deps test -z "$missing"
	mkdir -p ops
	cp -R rail ops/rail
	printf 'include railgen.mk\n' > ops/Makefile
	(cd ops && nokey "$RAILGEN" -o . rail/) > ops.err 2>&1
	check ci-doc/layout-compiles test ! -s ops.err
	check ci-doc/layout-make-help sh -c 'cd ops && make -s help |
	    grep -q "^  shop-deploy "'
	sed "s|/opt/railgen/build/railgen|$RAILGEN|" ci.check > ci-check.sh
	check ci-doc/check-step-passes nokey sh -c 'cd ops && sh ../ci-check.sh'
	printf 'x\n' >> ops/docs/shop.md
	if (cd ops && nokey sh ../ci-check.sh) > ci.out 2>&1; then
		fail ci-doc/check-step-fails-on-drift "passed"
	else
		check ci-doc/check-step-fails-on-drift grep -q \
		    '^+++ b/docs/shop.md' ci.out
	fi
else
	fail ci-doc/workflow-parses "$(cat ci.err)"
fi

# .sops.yaml covers the whole fleet: every SOPS file of the tree matches
# exactly one creation rule, whose age recipients are the file's own.
cat > rules.cjs <<'EOF'
const fs = require('fs');
const path = require('path');
const yaml = require(process.argv[2] + '/node_modules/yaml');
const parse = yaml.parse;
const dir = process.argv[3];
const conf = parse(fs.readFileSync(path.join(dir, '.sops.yaml'), 'utf8'));
const files = process.argv.slice(4);
if (files.length < 4) throw new Error('too few SOPS files: ' + files);
for (const f of files) {
	const rules = conf.creation_rules.filter(
	    (r) => new RegExp(r.path_regex).test(f));
	if (rules.length !== 1)
		throw new Error(f + ': ' + rules.length + ' rules match');
	// A file may hold several documents; the first carries sops:.
	const doc = yaml.parseAllDocuments(
	    fs.readFileSync(path.join(dir, f), 'utf8'))[0].toJS();
	const want = doc.sops.age.map((a) => a.recipient).sort().join(',');
	const got = rules[0].age.split(',').sort().join(',');
	if (want !== got) throw new Error(f + ': rule for ' + got);
}
if (conf.creation_rules.length !== files.length)
	throw new Error('rules for files railgen did not write');
EOF
# shellcheck disable=SC2046  # one word per file
check fleet/sops-rules-cover-fleet node rules.cjs "$md" a \
    $(cd a && grep -rlx 'sops:' . | sed 's|^\./||' | LC_ALL=C sort)

# A run killed while writing: the next run finishes or undoes it, and no
# state it leaves looks like a hand edit.

mkdir -p big
for i in $(seq 1 20); do
	cat > big/app$i.rail <<EOF
app app$i {
	image registry.example.org/app$i:1.0
	host app$i.example.org {
		tls letsencrypt-prod
	}
}
EOF
done
fresh bigold big/
sed -i 's/:1\.0/:2.0/' big/*.rail
fresh bigwant big/
# How long the update from 1.0 to 2.0 takes, to kill runs within it;
# most of it is staging (an fsync per file), publishing comes last.
rm -rf bigtime
cp -a bigold bigtime
start=$(date +%s%N)
nokey "$RAILGEN" -o bigtime big/ > /dev/null 2>&1
span=$(( ($(date +%s%N) - start) / 1000000 ))
killed_ok=1
for pct in 20 50 80 90 95 99; do
	rm -rf bigout
	cp -a bigold bigout
	ms=$(( span * pct / 100 + 1 ))
	nokey timeout -s KILL "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))" \
	    "$RAILGEN" -o bigout big/ > /dev/null 2>&1
	if ! nokey "$RAILGEN" -o bigout big/ > kill.err 2>&1 ||
	    grep -v '^railgen: note: bigout: ' kill.err | grep -q . ||
	    ! diff -r bigwant bigout > kill.diff 2>&1; then
		fail "killed/recovers-$pct" "$(cat kill.err kill.diff |
		    head -n 20)"
		killed_ok=0
	fi
done
[ $killed_ok = 1 ] && ok killed/recovers
check killed/no-leftovers test -z "$(find bigout -name '.railgen-*' \
    ! -name .railgen-owned)"

# The secret taken from the environment never reached a file or the
# output in clear.
check secrets/never-in-clear test -z "$(grep -rlF "$SHOP_STRIPE_API_KEY" \
    "$T" 2>/dev/null)"

done_testing
