#!/bin/sh
# fuzzsmoke: builds the libFuzzer targets, replays every seed, then fuzzs
# each target briefly; any crash, leak or sanitizer report fails it.
. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 3

# Its own build directory, whatever tests/run was given (SAN=1 too):
# clang, ASan, UBSan and the fuzzer's coverage hooks.
FB=build-fuzz
T=$(mktemp_dir)
if ! command -v clang >/dev/null 2>&1; then
	fail build "clang is missing (build-aux/deps test installs it)"
	done_testing
fi
if ! make -s FUZZ=1 BUILD=$FB CC=clang fuzz-bins >"$T/build.log" 2>&1
then
	fail build "$(tail -n 20 "$T/build.log")"
	done_testing
fi
ok build

# FUZZSMOKE_RUNS and FUZZSMOKE_TIME bound the random pass per target.
: "${FUZZSMOKE_RUNS:=20000}"
: "${FUZZSMOKE_TIME:=15}"
for src in tests/fuzz/fuzz_*.c; do
	t=${src#tests/fuzz/fuzz_}
	t=${t%.c}
	bin=$FB/fuzz/fuzz_$t
	dict=
	[ -f "tests/fuzz/$t.dict" ] && dict=-dict=tests/fuzz/$t.dict
	mkdir -p "$T/$t"
	# -runs=0 runs each seed once and nothing else.
	if ! "$bin" -runs=0 -artifact_prefix="$T/$t-" \
	    "tests/fuzz/corpus/$t" >"$T/$t.seeds" 2>&1; then
		fail "$t" "seed replay: $(grep -E 'ERROR|SUMMARY|runtime' \
		    "$T/$t.seeds" | head -n 5)"
		continue
	fi
	# shellcheck disable=SC2086	# dict: one word or empty
	if ! "$bin" -runs="$FUZZSMOKE_RUNS" \
	    -max_total_time="$FUZZSMOKE_TIME" -seed=1 $dict \
	    -artifact_prefix="$T/$t-" "$T/$t" "tests/fuzz/corpus/$t" \
	    >"$T/$t.log" 2>&1; then
		fail "$t" "$(grep -E 'ERROR|SUMMARY|runtime' "$T/$t.log" |
		    head -n 5)"
		continue
	fi
	ok "$t"
done
done_testing
