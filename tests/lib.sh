# lib.sh: what every test suite shares; sourced, never run.
#
# A suite is tests/<name>/run.sh.  It prints one line per case:
#   ok NAME | FAIL NAME: why | skip NAME: why
# and exits 1 when any case failed.  tests/run sets RAILGEN (the binary),
# BUILD, SHARED (../shared or empty when absent) and TOOLS (where outside
# tools from npm are installed, .tools/ by default).

TOP=$(cd "$(dirname "$0")/../.." && pwd)
: "${RAILGEN:=$TOP/build/railgen}"
: "${BUILD:=build}"
: "${SHARED:=$TOP/../shared}"
: "${TOOLS:=$TOP/.tools}"
[ -d "$SHARED" ] && SHARED=$(cd "$SHARED" && pwd) || SHARED=
export RAILGEN BUILD SHARED TOOLS TOP

t_failed=0
t_suite=$(basename "$(dirname "$0")")

# printf, not echo: dash's echo would rewrite backslashes in messages.
ok()	{ printf 'ok %s/%s\n' "$t_suite" "$1"; }
fail()	{ printf 'FAIL %s/%s: %s\n' "$t_suite" "$1" "$2"; t_failed=1; }
skip()	{ printf 'skip %s/%s: %s\n' "$t_suite" "$1" "$2"; }
done_testing() { exit $t_failed; }

# check NAME CMD...: runs CMD, passes when it exits 0.
check() {
	t_name=$1; shift
	if t_out=$("$@" 2>&1); then
		ok "$t_name"
	else
		fail "$t_name" "$(printf '%s' "$t_out" | tail -n 20)"
	fi
}

# need_shared NAME: true when ../shared is here; otherwise reports a skip.
need_shared() {
	[ -n "$SHARED" ] && return 0
	skip "$1" "needs ../shared, which is absent"
	return 1
}

# mktemp_dir: a fresh directory removed when the suite exits.  Suites
# call it as T=$(mktemp_dir), in a subshell, so the list of directories
# to remove lives in a file the suite's own shell reads at exit.
t_tmplist=$(mktemp "${TMPDIR:-/tmp}/railgen-tmps.XXXXXX")
trap 'xargs rm -rf < "$t_tmplist"; rm -f "$t_tmplist"' EXIT
mktemp_dir() {
	t_tmp=$(mktemp -d "${TMPDIR:-/tmp}/railgen-test.XXXXXX")
	echo "$t_tmp" >> "$t_tmplist"
	echo "$t_tmp"
}

# Outside tools, installed once into $TOOLS and reused.  Each prints the
# path to use and fails loudly when the install fails.
tool_helm() {		# tool_helm v3|v4
	if [ ! -x "$TOOLS/helm-$1/bin/helm" ]; then
		bash "$SHARED/tools/install-helm.sh" "$TOOLS/helm-$1" "$1" \
		    >/dev/null 2>"$TOOLS/helm-$1.log" || return 1
	fi
	echo "$TOOLS/helm-$1/bin/helm"
}

tool_validate_k8s() {	# prints the --deps directory
	if [ ! -d "$TOOLS/vk/node_modules/ajv" ]; then
		bash "$SHARED/tools/install-validate-k8s.sh" "$TOOLS/vk" \
		    >/dev/null 2>"$TOOLS/vk.log" || return 1
	fi
	echo "$TOOLS/vk"
}

tool_sopsjs() {		# prints SOPSJS_DIR
	if [ ! -d "$TOOLS/sopsjs/node_modules/sops-age" ]; then
		bash "$SHARED/tools/install-sopsjs.sh" "$TOOLS/sopsjs" \
		    >/dev/null 2>"$TOOLS/sopsjs.log" || return 1
	fi
	echo "$TOOLS/sopsjs"
}

tool_dflint() {		# prints DFLINT_DIR
	if [ ! -x "$TOOLS/dflint/node_modules/.bin/dockerlinter" ]; then
		bash "$SHARED/tools/install-dockerfile-lint.sh" "$TOOLS/dflint" \
		    >/dev/null 2>"$TOOLS/dflint.log" || return 1
	fi
	echo "$TOOLS/dflint"
}

# tool_npm PKG@VERSION...: installs into $TOOLS/npm, prints its directory.
tool_npm() {
	t_dir=$TOOLS/npm
	mkdir -p "$t_dir"
	[ -f "$t_dir/package.json" ] ||
	    printf '{ "name": "railgen-test-tools", "private": true }\n' \
	    > "$t_dir/package.json"
	for t_pkg in "$@"; do
		t_base=${t_pkg%@*}
		[ -d "$t_dir/node_modules/$t_base" ] && continue
		(cd "$t_dir" && npm install --no-audit --no-fund --save-exact \
		    --loglevel=error "$t_pkg") >/dev/null 2>"$t_dir.log" ||
		    return 1
	done
	echo "$t_dir"
}

# sops-age pins age-encryption 0.2, which must not replace the 0.3 that
# the age suite keeps in $TOOLS/npm: it gets a directory of its own.
tool_npm_sops_age() {
	t_dir=$TOOLS/npm-sops-age
	if [ ! -d "$t_dir/node_modules/sops-age" ]; then
		mkdir -p "$t_dir" || return 1
		printf '{ "name": "railgen-sops-age", "private": true }\n' \
		    > "$t_dir/package.json"
		(cd "$t_dir" && npm install --no-audit --no-fund --save-exact \
		    --loglevel=error sops-age@4.0.2) > /dev/null \
		    2> "$t_dir.log" || return 1
	fi
	echo "$t_dir"
}
