#!/bin/sh
# run.sh: bench/run in its quick mode completes and prints its table, and
# bench/genfleet writes a whole, deterministic fleet.  Times are printed,
# never judged: a loaded machine must not fail the suite.
. "$(dirname "$0")/../lib.sh"

unset BENCH_RUNS BENCH_FLEET_RUNS BENCH_SIZES BENCH_WORK
T=$(mktemp_dir)
W=$T/work
sizes="5 10 20"

BENCH_QUICK=1 BENCH_WORK=$W BUILD=$BUILD sh "$TOP/bench/run" \
    > "$T/out" 2> "$T/err"
status=$?
if [ "$status" -eq 0 ]; then
	ok quick-run
else
	fail quick-run "exit $status: $(tail -n 5 "$T/err")"
fi

# The table: the header, then one row per case up to the blank line,
# each with a name, a run count and four figures.
table_ok() {
	awk -v sizes="$sizes" -v age="$1" '
		NR == 1 { ok = $1 == "name" && $2 == "runs"; next }
		/^$/ { exit }
		{
			if (NF < 6 || $(NF - 4) !~ /^[0-9]+$/)
				ok = 0
			for (i = NF - 3; i <= NF; i++)
				if ($i !~ /^[0-9]+(\.[0-9])?$/)
					ok = 0
			if ($(NF - 4) < 1 || $(NF - 2) > $(NF - 1) ||
			    $(NF - 3) < $(NF - 2) || $(NF - 3) > $(NF - 1))
				ok = 0
			rows++
		}
		END {
			want = 6 + 2 * split(sizes, s, " ") + (age ? 1 : 0)
			exit !(ok && rows == want)
		}' "$T/out"
}
has_age=0
command -v age >/dev/null 2>&1 && has_age=1
if table_ok "$has_age"; then
	ok table
else
	fail table "malformed: $(head -n 14 "$T/out")"
fi

if grep -q '^railgen peak RSS, one app: [0-9]* KiB' "$T/out" &&
    grep -q '^growth, time per app at 20 apps over 5:' "$T/out"; then
	ok targets
else
	fail targets "the lines on the targets are missing"
fi

# Each fleet tree bench/run wrote is whole: every app's files, a record
# that matches them, and --check finds no drift.
fleet_ok() {
	f_in=$W/fleet-$1 f_out=$W/fleet-$1.out
	[ "$(ls "$f_in"/*.rail | wc -l)" -eq $(($1 + 1)) ] || return 1
	[ "$(ls "$f_out/releases" | wc -l)" -eq "$1" ] || return 1
	[ "$(ls "$f_out/helm" | wc -l)" -eq "$1" ] || return 1
	[ "$(ls "$f_out"/platform/apps-pg/*-database.yaml | wc -l)" -eq \
	    "$1" ] || return 1
	(cd "$f_out" && sha256sum --quiet -c .railgen-owned) || return 1
	[ "$(grep -cv '^#' "$f_out/.railgen-owned")" -eq \
	    $(($(find "$f_out" -type f | wc -l) - 1)) ] || return 1
	env -u SOPS_AGE_KEY -u SOPS_AGE_KEY_FILE HOME="$T" \
	    "$RAILGEN" --check -o "$f_out" "$f_in" > "$T/drift" 2>&1 &&
	    [ ! -s "$T/drift" ]
}
for n in $sizes; do
	if fleet_ok "$n"; then
		ok "fleet-$n"
	else
		fail "fleet-$n" "the tree of $n apps is not whole"
	fi
done

# genfleet: the same N gives the same files; names are unique.
sh "$TOP/bench/genfleet" 30 "$T/a" && sh "$TOP/bench/genfleet" 30 "$T/b"
check genfleet-deterministic diff -r "$T/a" "$T/b"
uniq_ok() {
	for k in 'host' 'namespace' 'role' 'alias'; do
		d=$(cat "$T"/a/*.rail | awk -v k="$k" '$1 == k { print $2 }' |
		    sort | uniq -d)
		[ -z "$d" ] || return 1
		[ "$(grep -h "^[[:space:]]*$k " "$T"/a/*.rail | wc -l)" \
		    -ge 30 ] || return 1
	done
}
check genfleet-unique uniq_ok
sh "$TOP/bench/genfleet" 0 "$T/c" 2>/dev/null
check genfleet-usage test $? -eq 2

done_testing
