#!/bin/sh
# run.sh: railgen on a full disk, a read-only or blocked directory, and
# killed at every step of a write; no secret in clear under any of them.
#
# Faults are real: small tmpfs mounts (filled with dd), a read-only
# remount, a file where a directory must go, /dev/full as standard
# output, and killshim.so (tests/faults/killshim.c), which ends railgen
# with SIGKILL just before its Nth call that can change a file system.
# After every fault the tree is compared byte for byte with the tree
# before it or, for a kill, the tree after it; tests/bin/recover replays
# a killed run's journal alone, as railgen does first.  The plaintext of
# every SOPS value railgen wrote (railgen decrypt with the demo identity)
# is then searched for in the trees, their temporary files, railgen's
# TMPDIR and everything it printed.  Mounting needs root: as another
# user the suite runs itself in a user and mount namespace.  Needs no
# ../shared.
if [ "$(id -u)" != 0 ] && [ -z "${RAILGEN_FAULTS_NS:-}" ] &&
    unshare -rm true 2>/dev/null; then
	RAILGEN_FAULTS_NS=1 exec unshare -rm sh "$0" "$@"
fi
. "$(dirname "$0")/../lib.sh"

unset MAKEFLAGS MFLAGS MAKELEVEL
case $BUILD in
/*)	bin=$BUILD/tests ;;
*)	bin=$TOP/$BUILD/tests ;;
esac
RECOVER=$bin/bin/recover
SOPSTOOL=$bin/bin/sopstool
# Under SAN=1 the ASan runtime must be the first preloaded library.
asan=$(ldd "$RAILGEN" 2>/dev/null |
    sed -n 's/^[[:space:]]*libasan[^ ]* => \([^ ]*\) .*/\1/p')
PRELOAD="${asan:+$asan }$bin/killshim.so"
KEY=$TOP/examples/demo.agekey

T=$(mktemp_dir)
chmod 700 "$T"
W=$T/w			# where railgen runs: app.rail, and m.rail
M=$T/mnt		# mount points, each a tmpfs
plain=$T/plain		# decrypted secrets: the test's, never scanned
scratch=$T/scratch	# railgen's TMPDIR
log=$T/log		# everything railgen printed
mkdir -p "$W" "$M" "$plain" "$scratch" "$T/home"
: > "$log"
: > "$plain/secrets"
: > "$T/mounts"
rg_preload=
# lib.sh's own cleanup, after the mounts are gone.
# shellcheck disable=SC2154  # t_tmplist is lib.sh's
trap 'tac "$T/mounts" | while read -r t_m; do umount "$t_m"; done 2>/dev/null
    xargs rm -rf < "$t_tmplist"; rm -f "$t_tmplist"' EXIT

# tmpfs NAME SIZE: a fresh tmpfs of SIZE at $M/NAME; false if none.
tmpfs() {
	mkdir -p "$M/$1"
	mount -t tmpfs -o "size=$2,mode=0700" tmpfs "$M/$1" 2>"$T/mount.err" ||
	    return 1
	echo "$M/$1" >> "$T/mounts"
}

# rg [VAR=VALUE...] ARGS...: railgen in $W with no identity unless given,
# TMPDIR=$scratch, rg_preload (if set) as LD_PRELOAD; stdout in $T/out,
# stderr in $T/err, both logged.
rg() {
	r_env=
	while :; do
		case ${1:-} in
		*=*)	r_env="$r_env $1"; shift ;;
		*)	break ;;
		esac
	done
	# shellcheck disable=SC2086  # VAR=VALUE words without blanks
	(cd "$W" && env -u SOPS_AGE_KEY -u SOPS_AGE_KEY_FILE \
	    -u XDG_CONFIG_HOME HOME="$T/home" TMPDIR="$scratch" \
	    ${rg_preload:+"LD_PRELOAD=$rg_preload"} $r_env \
	    "$RAILGEN" "$@") > "$T/out" 2> "$T/err"
	r_st=$?
	cat "$T/out" "$T/err" >> "$log"
	return $r_st
}

# expect NAME STATUS [GREP...]: the last rg exited STATUS and its stderr
# holds every fixed string given.
expect() {
	e_name=$1 e_status=$2
	shift 2
	if [ "$r_st" != "$e_status" ]; then
		fail "$e_name" "exit $r_st, not $e_status: $(head -n 5 \
		    "$T/err")"
		return 1
	fi
	for e_want; do
		if ! grep -qF -- "$e_want" "$T/err"; then
			fail "$e_name" "no '$e_want' in: $(head -n 5 "$T/err")"
			return 1
		fi
	done
	ok "$e_name"
}

# same NAME A B: trees A and B hold the same files, bytes and modes.
same() {
	if diff -r "$2" "$3" > "$T/diff" 2>&1 &&
	    [ "$(cd "$2" && find . -printf '%p %m\n' | LC_ALL=C sort)" = \
	    "$(cd "$3" && find . -printf '%p %m\n' | LC_ALL=C sort)" ]; then
		ok "$1"
	else
		fail "$1" "$(head -n 10 "$T/diff")"
	fi
}

# leftovers DIR: the journal or temporary files railgen left in DIR.
leftovers() {
	find "$1" -name '.railgen-*' ! -name .railgen-owned
}

# harvest FILE...: every value encrypted in each SOPS file given, in
# clear, added to $plain/secrets (with its base64 form); files that are
# not whole SOPS files (a temporary file cut short) are passed over.
harvest() {
	for h_f; do
		grep -q '^sops:' "$h_f" 2>/dev/null || continue
		SOPS_AGE_KEY_FILE=$KEY "$RAILGEN" decrypt "$h_f" \
		    > "$plain/dec.yaml" 2>/dev/null || continue
		"$SOPSTOOL" plainjson "$h_f" > "$plain/enc.json" &&
		    "$SOPSTOOL" plainjson "$plain/dec.yaml" \
		    > "$plain/dec.json" &&
		    python3 "$TOP/tests/faults/secrets.py" "$plain/enc.json" \
		    "$plain/dec.json" >> "$plain/secrets"
	done
	rm -f "$plain/dec.yaml" "$plain/dec.json" "$plain/enc.json"
	sort -u -o "$plain/secrets" "$plain/secrets"
}

# harvest_tree DIR: harvest every file below DIR.
harvest_tree() {
	# shellcheck disable=SC2046  # paths without blanks
	harvest $(find "$1" -type f | LC_ALL=C sort)
}

# leaks DIR...: the names of files below DIR (and the log, the TMPDIR)
# that hold a known secret in clear; empty when none does.
leaks() {
	[ -s "$plain/secrets" ] || { echo "no secrets known"; return; }
	grep -rlF -f "$plain/secrets" "$@" "$log" "$scratch" 2>/dev/null
}

# scan NAME DIR...: no known secret in clear in DIR, the log, the TMPDIR.
scan() {
	s_name=$1
	shift
	s_leaks=$(leaks "$@")
	if [ -z "$s_leaks" ]; then
		ok "$s_name"
	else
		fail "$s_name" "a secret in clear in: $s_leaks"
	fi
}

# The models: vergabe with secrets and a database, and the minimal app.
# A change rewrites files but keeps every secret, so the tree after it
# is known byte for byte: the same change made on a copy.
# API_TOKEN comes from the environment, so the test knows its value
# before railgen has it in memory, also for a run that fails or dies.
token() { printf 'tok_faults_%s_%s\n' "$1" "$(od -An -N12 -tx1 /dev/urandom |
    tr -d ' \n')"; }
FAULTS_API_TOKEN=$(token first)
export FAULTS_API_TOKEN
echo "$FAULTS_API_TOKEN" >> "$plain/secrets"
sed '/secret DJANGO_SECRET_KEY/a\
	secret API_TOKEN = env(FAULTS_API_TOKEN)' \
    "$TOP/examples/vergabe.rail" > "$W/app.v1"
sed 's/3f9c2e1a7b4d/3f9c2e1a7b4e/; s/replicas 1/replicas 2/' \
    "$W/app.v1" > "$W/app.v2"
cp "$TOP/examples/minimal.rail" "$W/m.v1"
sed 's/port  8080/port  8081/' "$W/m.v1" > "$W/m.v2"
use() { cp "$W/$1" "$W/${1%.v*}.rail"; }

use app.v1
rg -o "$T/old" app.rail
expect base/compile 0
rm -rf "$T/new"
cp -a "$T/old" "$T/new"
use app.v2
rg -o "$T/new" app.rail
expect base/change-keeps-secrets 0
check base/change-rewrites test -n "$(diff -rq "$T/old" "$T/new")"
harvest_tree "$T/old"
# The token's base64 form is there only if decrypting found the token.
check base/secrets-known test "$(wc -l < "$plain/secrets")" -ge 6 -a \
    -n "$(grep -xF "$(printf %s "$FAULTS_API_TOKEN" | base64 -w 0)" \
    "$plain/secrets")"

# ---- a full disk -------------------------------------------------------

if tmpfs full 512k; then
	D=$M/full
	use app.v1
	rg -o "$D/out" app.rail
	expect full/first-run 0
	use app.v2
	# Leave 0, 1, 2... pages free: the run fails at the journal, then
	# at the files it stages, until there is room for all of them.
	staged_fail=0 full_ok=1 full_leaks=
	for free in 0 1 2 3 4 5 6 8 10 12 16 24 32; do
		rm -rf "$D/out" "$D/fill"
		cp -a "$T/old" "$D/out"
		avail=$(df -k --output=avail "$D" | tail -n 1)
		[ "$avail" -gt $((free * 4)) ] || continue
		dd if=/dev/zero of="$D/fill" bs=4k \
		    count=$((avail / 4 - free)) 2>/dev/null
		rg -o "$D/out" app.rail
		if [ "$r_st" = 0 ]; then
			cmp_to=$T/new
		else
			cmp_to=$T/old
			nospc="^railgen: error: $D/out/.*: No space left on"
			nospc="$nospc device\$"
			if [ "$r_st" != 3 ] || ! grep -q "$nospc" "$T/err"; then
				fail "full/free-$free" "exit $r_st: $(cat \
				    "$T/err")"
				full_ok=0
			fi
			grep -q 'cannot write: No space' "$T/err" &&
			    staged_fail=$((staged_fail + 1))
		fi
		if ! diff -r "$cmp_to" "$D/out" > "$T/diff" 2>&1; then
			fail "full/free-$free-tree" "$(head -n 5 "$T/diff")"
			full_ok=0
		fi
		full_leaks="$full_leaks$(leaks "$D")"
	done
	[ $full_ok = 1 ] && ok full/exit-3-tree-intact
	check full/fails-while-staging test "$staged_fail" -ge 1
	check full/succeeds-with-room test "$r_st" = 0
	check full/no-secret test -z "$full_leaks"
	rm -f "$D/fill"
	rm -rf "$D/out"
	cp -a "$T/old" "$D/out"
	dd if=/dev/zero of="$D/fill" bs=4k 2>/dev/null
	rg -o "$D/out" app.rail
	expect full/refused 3 "No space left on device"
	same full/refused-tree-intact "$T/old" "$D/out"
	# Rotating the token on the full disk: the new one is in memory.
	rot=$(token full)
	echo "$rot" >> "$plain/secrets"
	rg SOPS_AGE_KEY_FILE="$KEY" FAULTS_API_TOKEN="$rot" \
	    --rotate API_TOKEN -o "$D/out" app.rail
	expect full/rotate-refused 3 "No space left on device"
	same full/rotate-tree-intact "$T/old" "$D/out"
	scan full/rotate-no-secret "$D"
	rm -f "$D/fill"
	rg -o "$D/out" app.rail
	expect full/space-freed 0
	same full/space-freed-tree "$T/new" "$D/out"
else
	fail full/mount "$(cat "$T/mount.err")"
fi

# A first run into a file system too small for the tree: nothing is left
# that a later run cannot deal with, and once there is room it works.
if tmpfs small 32k; then
	D=$M/small
	use app.v1
	rg -o "$D/out" app.rail
	expect small/refused 3 "No space left on device"
	check small/no-file-left test -z "$(find "$D" -type f)"
	scan small/no-secret "$D"
	# -t and a source: util-linux wants them in a user namespace.
	mount -t tmpfs -o remount,size=1m tmpfs "$D"
	rg -o "$D/out" app.rail
	expect small/room-made 0
	rg --check -o "$D/out" app.rail
	expect small/room-made-current 0
	harvest_tree "$D/out"
else
	fail small/mount "$(cat "$T/mount.err")"
fi

# Standard output on /dev/full: a clear error, exit 3, no secret.
use app.v2
rg --check -o "$T/old" app.rail > /dev/null
cp "$T/err" "$T/err.keep"
(cd "$W" && env HOME="$T/home" "$RAILGEN" --check -o "$T/old" app.rail \
    > /dev/full 2> "$T/err"); r_st=$?
cat "$T/err" >> "$log"
expect devfull/check-diff 3 \
    "cannot write the diff to standard output: No space left on device"
(cd "$W" && SOPS_AGE_KEY_FILE=$KEY "$RAILGEN" decrypt \
    "$T/old/helm/vergabe-teilnahme-values.sops.yaml" > /dev/full \
    2> "$T/err"); r_st=$?
cat "$T/err" >> "$log"
expect devfull/decrypt 3 "standard output: No space left on device"

# ---- a read-only directory ---------------------------------------------

# A read-only bind mount of a tmpfs, which works in a user namespace
# too, where remounting the tmpfs itself read-only does not.
if tmpfs rw 1m && mkdir -p "$M/ro" &&
    mount --bind "$M/rw" "$M/ro" 2> "$T/mount.err" &&
    echo "$M/ro" >> "$T/mounts" &&
    mount -o remount,bind,ro "$M/ro" 2> "$T/mount.err"; then
	D=$M/ro
	cp -a "$T/old" "$M/rw/out"
	use app.v2
	rg -o "$D/out" app.rail
	expect ro/refused 3 "railgen: error: $D/out/.railgen-journal: \
cannot write the journal: Read-only file system"
	same ro/tree-intact "$T/old" "$D/out"
	# Nothing to change, nothing to write: no error.
	use app.v1
	rg -o "$D/out" app.rail
	expect ro/unchanged-succeeds 0
	rg --check -o "$D/out" app.rail
	expect ro/check 0
	scan ro/no-secret "$D"
else
	fail ro/mount "$(cat "$T/mount.err")"
fi

# ---- a file where a directory must go, and the reverse ----------------

use app.v1
rm -rf "$T/blocked"
mkdir -p "$T/blocked"
printf 'mine\n' > "$T/blocked/helm"
rg -o "$T/blocked" app.rail
expect blocked/file-for-dir 3 "$T/blocked/helm/" \
    "a symbolic link or a file is in the way"
check blocked/file-kept test "$(cat "$T/blocked/helm")" = mine
check blocked/nothing-else test "$(cd "$T/blocked" && find . | sort |
    tr '\n' ' ')" = ". ./helm "

rm -rf "$T/blocked"
cp -a "$T/old" "$T/blocked"
rm "$T/blocked/mk/vergabe-teilnahme.mk"
mkdir "$T/blocked/mk/vergabe-teilnahme.mk"
printf 'mine\n' > "$T/blocked/mk/vergabe-teilnahme.mk/notes"
use app.v2
rg -o "$T/blocked" app.rail
expect blocked/dir-for-file 3 "$T/blocked/mk/vergabe-teilnahme.mk" \
    "Is a directory"
check blocked/dir-kept test \
    "$(cat "$T/blocked/mk/vergabe-teilnahme.mk/notes")" = mine
rm -r "$T/blocked/mk/vergabe-teilnahme.mk"
cp "$T/old/mk/vergabe-teilnahme.mk" "$T/blocked/mk/"
same blocked/dir-for-file-nothing-written "$T/old" "$T/blocked"
scan blocked/no-secret "$T/blocked"

# ---- killed at every step ----------------------------------------------

# rk N [VAR=VALUE...] ARGS...: rg with killshim.so ending railgen just
# before its Nth point (0: never).
rk() {
	k_at=$1
	shift
	rg_preload=$PRELOAD
	# The shell would report each kill on stderr.
	{ rg KILLSHIM_AT="$k_at" "$@"; } 2> /dev/null
	rg_preload=
}

# visible DIR COPY: COPY is DIR without the journal, temporary files and
# the directories staging made that hold nothing else yet.
visible() {
	rm -rf "$2"
	cp -a "$1" "$2"
	find "$2" -name '.railgen-*' ! -name .railgen-owned -exec rm -f {} +
	find "$2" -depth -mindepth 1 -type d -empty -delete
}

# kill_loop NAME STEP OLD NEW ARGS...: railgen ARGS (with -o) turns tree
# OLD into NEW; kill it before each STEPth point in turn, on a copy of
# OLD, until a run is not killed.  After each kill: the visible tree is
# OLD or NEW, or a published journal says the rest; --check does not
# call it clean unless it is NEW; the journal replayed alone gives OLD
# or NEW exactly; a plain rerun gives NEW exactly; no known secret is in
# clear.
kill_loop() {
	l_name=$1 l_step=$2 l_old=$3 l_new=$4
	shift 4
	rm -f "$T/points"
	rm -rf "$K/out"
	cp -a "$l_old" "$K/out"
	rk 0 KILLSHIM_LOG="$T/points" -o "$K/out" "$@"
	l_total=$(wc -l < "$T/points")
	l_bad='' l_n=1 l_old_n=0 l_new_n=0 l_mixed=0 l_leaks=''
	l_first_mixed='' l_k=0
	while [ "$l_n" -le $((l_total + l_step)) ]; do
		rm -rf "$K/out"
		cp -a "$l_old" "$K/out"
		rk "$l_n" -o "$K/out" "$@"
		[ "$r_st" = 0 ] && break
		if [ "$r_st" != 137 ]; then
			l_bad="$l_bad $l_n:exit-$r_st"
			break
		fi
		l_k=$((l_k + 1))
		l_leaks="$l_leaks$(leaks "$K/out")"
		visible "$K/out" "$K/vis"
		if diff -r "$l_old" "$K/vis" > /dev/null 2>&1; then
			l_old_n=$((l_old_n + 1))
		elif diff -r "$l_new" "$K/vis" > /dev/null 2>&1; then
			l_new_n=$((l_new_n + 1))
		elif grep -qx 'published 1' "$K/out/.railgen-journal" \
		    2>/dev/null; then
			l_mixed=$((l_mixed + 1))
			[ -n "$l_first_mixed" ] || l_first_mixed=$l_n
		else
			l_bad="$l_bad $l_n:mixed"
		fi
		rg --check -o "$K/out" "$@"
		if [ "$r_st" = 0 ] && { [ -n "$(leftovers "$K/out")" ] ||
		    ! diff -r "$l_new" "$K/out" > /dev/null 2>&1; }; then
			l_bad="$l_bad $l_n:check-clean"
		fi
		rm -rf "$K/rec"
		cp -a "$K/out" "$K/rec"
		# No journal: nothing to replay, the tree is one or the other.
		case $("$RECOVER" "$K/rec" 2>&1) in
		none)	l_want="$l_old $l_new" ;;
		undone)	l_want=$l_old ;;
		done)	l_want=$l_new ;;
		*)	l_want= ;;
		esac
		l_same=0
		for l_w in $l_want; do
			diff -r "$l_w" "$K/rec" > /dev/null 2>&1 && l_same=1
		done
		[ $l_same = 1 ] || l_bad="$l_bad $l_n:recovered"
		rg -o "$K/out" "$@"
		if [ "$r_st" != 0 ] || ! diff -r "$l_new" "$K/out" \
		    > /dev/null 2>&1; then
			l_bad="$l_bad $l_n:rerun"
		fi
		l_n=$((l_n + l_step))
	done
	if [ -z "$l_bad" ] && [ "$l_n" -gt "$l_total" ] &&
	    [ "$l_n" -le $((l_total + l_step)) ]; then
		ok "$l_name"
	else
		fail "$l_name" "at points:$l_bad (ended at $l_n of $l_total)"
	fi
	printf '%s: %s points, killed %s times: %s old, %s new, %s mixed\n' \
	    "$l_name" "$l_total" "$l_k" "$l_old_n" "$l_new_n" \
	    "$l_mixed" >> "$T/kill-stats"
	check "$l_name-both-sides" test "$l_old_n" -gt 0 -a "$l_new_n" -gt 0 \
	    -a "$l_mixed" -gt 0
	check "$l_name-no-secret" test -z "$l_leaks"
}

# twice_loop OLD NEW ARGS...: kill_loop's first run killed while
# publishing, whose rerun (which finishes that commit) is then killed
# before each of its own points: every replayed step may be taken twice,
# so the journal replayed alone, and a plain run, still give NEW.
twice_loop() {
	w_bad='' w_n=1
	if [ -z "$l_first_mixed" ]; then
		fail killed/twice "no run was killed while publishing"
		return
	fi
	rm -rf "$K/twice"
	cp -a "$1" "$K/twice"
	w_new=$2
	shift 2
	rk "$l_first_mixed" -o "$K/twice" "$@"
	while [ "$w_n" -lt 1000 ]; do
		rm -rf "$K/out"
		cp -a "$K/twice" "$K/out"
		rk "$w_n" -o "$K/out" "$@"
		[ "$r_st" = 0 ] && break
		rm -rf "$K/rec"
		cp -a "$K/out" "$K/rec"
		"$RECOVER" "$K/rec" > /dev/null 2>&1 &&
		    diff -r "$w_new" "$K/rec" > /dev/null 2>&1 ||
		    w_bad="$w_bad $w_n:recovered"
		rg -o "$K/out" "$@"
		[ "$r_st" = 0 ] && diff -r "$w_new" "$K/out" > /dev/null 2>&1 ||
		    w_bad="$w_bad $w_n:rerun"
		w_n=$((w_n + 1))
	done
	diff -r "$w_new" "$K/out" > /dev/null 2>&1 || w_bad="$w_bad last"
	if [ -z "$w_bad" ] && [ "$w_n" -gt 1 ]; then
		ok killed/twice
	else
		fail killed/twice "at points:$w_bad"
	fi
}

# Every point of the small app; under AddressSanitizer, whose start-up
# is slow, every third point of the larger runs (offset between them).
step=1
[ -n "$asan" ] && step=3
if tmpfs kill 64m; then
	K=$M/kill
	use m.v1
	rg -o "$K/m-old" m.rail
	cp -a "$K/m-old" "$K/m-new"
	use m.v2
	rg -o "$K/m-new" m.rail
	kill_loop killed/minimal 1 "$K/m-old" "$K/m-new" m.rail
	twice_loop "$K/m-old" "$K/m-new" m.rail
	use app.v2
	kill_loop killed/vergabe "$step" "$T/old" "$T/new" app.rail
else
	fail killed/mount "$(cat "$T/mount.err")"
fi

# Rotating: the new secret is random, so after a kill the tree is judged
# by itself: the old tree, or one that --check finds current.  Each
# killed run's secret is learned from its staged files (when whole) or
# from the tree it published, and searched for like the others.
rotate_loop() {
	l_bad='' l_n=1 l_new_n=0 l_leaks=''
	[ "$step" -gt 1 ] && l_n=2
	while :; do
		rm -rf "$K/out"
		cp -a "$T/old" "$K/out"
		rk "$l_n" SOPS_AGE_KEY_FILE="$KEY" FAULTS_API_TOKEN="$rot" \
		    --rotate DJANGO_SECRET_KEY --rotate API_TOKEN \
		    -o "$K/out" app.rail
		[ "$r_st" = 0 ] && break
		if [ "$r_st" != 137 ]; then
			l_bad="$l_bad $l_n:exit-$r_st"
			break
		fi
		# shellcheck disable=SC2046  # paths without blanks
		harvest $(find "$K/out" -name '.railgen-*.tmp')
		rm -rf "$K/rec"
		cp -a "$K/out" "$K/rec"
		"$RECOVER" "$K/rec" > /dev/null 2>&1 ||
		    l_bad="$l_bad $l_n:recover"
		if ! diff -r "$T/old" "$K/rec" > /dev/null 2>&1; then
			l_new_n=$((l_new_n + 1))
			harvest_tree "$K/rec"
			rg --check -o "$K/rec" app.rail
			[ "$r_st" = 0 ] || l_bad="$l_bad $l_n:recovered"
		fi
		l_leaks="$l_leaks$(leaks "$K/out" "$K/rec")"
		rg -o "$K/out" app.rail
		[ "$r_st" = 0 ] || l_bad="$l_bad $l_n:rerun"
		rg --check -o "$K/out" app.rail
		[ "$r_st" = 0 ] && [ -z "$(leftovers "$K/out")" ] ||
		    l_bad="$l_bad $l_n:rerun-current"
		l_n=$((l_n + step))
	done
	harvest_tree "$K/out"
	if [ -z "$l_bad" ] && [ "$l_new_n" -gt 0 ]; then
		ok killed/rotate
	else
		fail killed/rotate "at points:$l_bad ($l_new_n new)"
	fi
	check killed/rotate-no-secret test -z "$l_leaks$(leaks "$K/out")"
}

if [ -d "$M/kill" ]; then
	use app.v1
	rot=$(token rotate)
	echo "$rot" >> "$plain/secrets"
	rotate_loop
fi

# A wrong identity: refused, nothing written, nothing shown.
"$RAILGEN" keygen -o "$T/wrong.key" 2> /dev/null
rm -rf "$T/wrong"
cp -a "$T/old" "$T/wrong"
use app.v1
rot=$(token wrong)
echo "$rot" >> "$plain/secrets"
rg SOPS_AGE_KEY_FILE="$T/wrong.key" FAULTS_API_TOKEN="$rot" \
    --rotate DJANGO_SECRET_KEY --rotate API_TOKEN \
    -o "$T/wrong" app.rail
expect wrong-key/refused 1
same wrong-key/tree-intact "$T/old" "$T/wrong"
scan wrong-key/no-secret "$T/wrong"

# ---- no core dump while secrets are in memory --------------------------

# At every point of a run that rotates a secret (so decrypts the old
# ones and makes a new one) the process is not dumpable and may not
# write a core; likewise for decrypt, which holds the identity and the
# values in clear.
rm -rf "$T/core" "$T/points"
cp -a "$T/old" "$T/core"
rk 0 KILLSHIM_LOG="$T/points" SOPS_AGE_KEY_FILE="$KEY" \
    --rotate DJANGO_SECRET_KEY -o "$T/core" app.rail
expect core/rotate-run 0
harvest_tree "$T/core"
(cd "$W" && env KILLSHIM_LOG="$T/points" LD_PRELOAD="$PRELOAD" \
    SOPS_AGE_KEY_FILE="$KEY" "$RAILGEN" decrypt \
    "$T/core/helm/vergabe-teilnahme-values.sops.yaml") > /dev/null 2>&1
check core/points-seen test "$(grep -c ' renameat ' "$T/points")" -ge 3 \
    -a "$(grep -c ' close ' "$T/points")" -ge 20
check core/never-dumpable test -z "$(grep -v ' dumpable=0 core=0/0$' \
    "$T/points")"

# And when it dies of a signal that dumps core, at its first rename:
# no core, by the kernel's own account.
at=$(grep ' renameat ' "$T/points" | head -n 1 | cut -d' ' -f1)
rm -rf "$T/core" "$T/cwd"
cp -a "$T/old" "$T/core"
mkdir -p "$T/cwd"
abrt=$(env -u SOPS_AGE_KEY HOME="$T/home" SOPS_AGE_KEY_FILE="$KEY" \
    python3 "$TOP/tests/faults/nocore.py" "$T/cwd" LD_PRELOAD="$PRELOAD" \
    KILLSHIM_AT="$at" KILLSHIM_SIGNAL=6 "$RAILGEN" \
    --rotate DJANGO_SECRET_KEY -o "$T/core" "$W/app.rail" 2>> "$log")
case $abrt in
*" cmd=none files=0")	ok core/abort-no-dump ;;
*)	fail core/abort-no-dump "$abrt" ;;
esac
scan core/no-secret "$T/core" "$T/cwd"

done_testing
