#!/bin/sh
# run.sh: the SOPS files railgen writes for an app, end to end.
#
# railgen compiles a copy of examples/vergabe.rail (and variants of it)
# into a tree; the files it writes are then read by implementations we
# did not write: ../shared/tools/sops-decrypt.mjs (MAC checked), npm
# sops-age, and the age CLI for the data key.  Each regeneration rule of
# DESIGN.md ("Secrets") is a case: an unchanged or clear change needs no
# key and keeps every ciphertext; a new, rotated or removed secret, a new
# recipient or a moved database needs an identity, and without one
# railgen writes nothing.  The one database password is the same in
# both files.  No generated secret may reach the tree in clear, railgen's
# output, or a file in its TMPDIR.  The chart renders with the decrypted
# values and passes validate-k8s.mjs --pss restricted.
. "$(dirname "$0")/../lib.sh"

unset MAKEFLAGS MFLAGS MAKELEVEL

tmp=$(mktemp -d "${TMPDIR:-/tmp}/railgen-test.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
case $BUILD in
/*)	bin=$BUILD/tests/bin ;;
*)	bin=$TOP/$BUILD/tests/bin ;;
esac
sopstool=$bin/sopstool
W=$tmp/w			# where railgen runs: app.rail, out/
scratch=$tmp/scratch		# railgen's TMPDIR
plain=$tmp/plain		# decrypted text: the test's, never scanned
log=$tmp/log			# everything railgen printed
KEY=$TOP/examples/demo.agekey
mkdir -p "$W" "$scratch" "$plain" "$tmp/home"
: > "$log"
V=out/helm/vergabe-teilnahme-values.sops.yaml
P=out/platform/apps-pg/vergabe-teilnahme-database.yaml

age-keygen -o "$tmp/k2" 2>/dev/null || fail keys "age-keygen failed"
R2=$(age-keygen -y "$tmp/k2")

# rg [VAR=VALUE...] ARGS...: railgen in $W with no identity but what the
# arguments give, TMPDIR=$scratch; output logged, stderr in $tmp/err.
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
	    -u XDG_CONFIG_HOME HOME="$tmp/home" TMPDIR="$scratch" $r_env \
	    "$RAILGEN" "$@") > "$tmp/out" 2> "$tmp/err"
	r_st=$?
	cat "$tmp/out" "$tmp/err" >> "$log"
	return $r_st
}

# model SED...: app.rail is examples/vergabe.rail edited by the scripts.
model() {
	cp "$TOP/examples/vergabe.rail" "$W/app.rail"
	for m_s; do
		sed "$m_s" "$W/app.rail" > "$W/app.tmp" &&
		    mv "$W/app.tmp" "$W/app.rail"
	done
}

snap() { rm -rf "$tmp/snap-$1"; cp -Rp "$W/out" "$tmp/snap-$1"; }
same_tree() { diff -r "$tmp/snap-$1" "$W/out" > /dev/null 2>&1; }

# dec FILE NAME [KEYFILE]: railgen decrypt into $plain/NAME.yaml and
# $plain/NAME.json.
dec() {
	SOPS_AGE_KEY_FILE=${3:-$KEY} "$RAILGEN" decrypt "$W/$1" \
	    > "$plain/$2.yaml" 2>> "$log" &&
	    "$sopstool" plainjson "$plain/$2.yaml" > "$plain/$2.json"
}

# jget NAME EXPR: a value of $plain/NAME.json (d is the document, or
# the list of documents).
jget() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(eval(sys.argv[2]))' "$plain/$1.json" "$2"
}

# The password in a DSN, URL-decoded by Python's own parser.
dsn_password() {
	python3 -c 'import sys, urllib.parse as u
print(u.unquote(u.urlsplit(sys.argv[1]).password))' "$1"
}

# Lines of FILE that carry ciphertext, the MAC or lastmodified.
cipher_lines() {
	grep -E 'ENC\[|^    lastmodified:|^ {12}[A-Za-z0-9+/=-]' "$1"
}

# ---- a tree from nothing, without any key ------------------------------
model
if rg -o out app.rail && [ -f "$W/$V" ] && [ -f "$W/$P" ] &&
    [ -f "$W/out/.sops.yaml" ]; then
	ok fresh-no-key
else
	fail fresh-no-key "$(cat "$tmp/err")"
fi
snap fresh
dec "$V" v1 && dec "$P" p1 && ok decrypt-command ||
    fail decrypt-command "railgen decrypt failed: $(tail -n 3 "$log")"

# The same password in both files; lengths and alphabet as documented.
pw=$(jget p1 'd[0]["stringData"]["password"]' 2>/dev/null)
dsn=$(jget v1 'd["secrets"]["DATABASE_URL"]' 2>/dev/null)
check one-password test -n "$pw" -a "$(dsn_password "$dsn")" = "$pw"
check password-length test "${#pw}" -eq 32
sk=$(jget v1 'd["secrets"]["DJANGO_SECRET_KEY"]' 2>/dev/null)
check secret-length test "${#sk}" -eq 50
check secret-alphabet sh -c 'printf "%s%s" "$1" "$2" |
    grep -qx "[A-Za-z0-9_-]*"' sh "$sk" "$pw"
check dsn-form sh -c 'case $1 in
    postgresql://vergabe:*@apps-pg-rw.databases.svc:5432/vergabe_db\?sslmode=require)
	true ;; *) false ;; esac' sh "$dsn"
check platform-secret python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))[0]
assert d["kind"] == "Secret" and d["type"] == "kubernetes.io/basic-auth"
assert d["metadata"]["namespace"] == "databases"
assert d["metadata"]["labels"]["cnpg.io/reload"] == "true"
assert d["stringData"]["username"] == "vergabe"' "$plain/p1.json"
check only-secrets-encrypted sh -c \
    'test "$(grep -v "^    mac:" "$1" | grep -c "ENC\[")" -eq 2 &&
    test "$(grep -v "^    mac:" "$2" | grep -c "ENC\[")" -eq 1 &&
    grep -q "^    password: ENC\[" "$2" &&
    grep -q "^    username: vergabe$" "$2" &&
    grep -q "^    tag: 3f9c2e1a7b4d$" "$1"' sh "$W/$V" "$W/$P"

# Clear values are the model's: the chart's values.yaml says the same.
"$sopstool" plainjson "$W/out/releases/vergabe-teilnahme/values.yaml" \
    > "$plain/chart.json"
check values-match-chart python3 -c 'import json, sys
v = json.load(open(sys.argv[1]))
c = json.load(open(sys.argv[2]))
for k in ("replicaCount", "resources", "probes", "env", "publicHosts",
    "database"):
	assert v[k] == c[k], k
assert all(v["image"][x] == c["image"][x] for x in v["image"])
assert list(v["secrets"]) == list(c["secrets"])' "$plain/v1.json" \
    "$plain/chart.json"

# ---- read by implementations we did not write --------------------------
stanza() {
	awk -v n="${2:-1}" '/-----BEGIN AGE/ { k++; p = k == n }
	    p { sub(/^ +/, ""); print } /-----END AGE/ { p = 0 }' "$1"
}
for f in "$V" "$P"; do
	n=${f##*/}
	stanza "$W/$f" > "$tmp/stanza.age"
	a=$(age -d -i "$KEY" "$tmp/stanza.age" | od -An -tx1 | tr -d ' \n')
	b=$("$sopstool" datakey -i "$KEY" "$W/$f" 2>> "$log")
	check "age-cli-data-key/$n" test "${#a}" -eq 64 -a "$a" = "$b"
done

if npm=$(tool_npm_sops_age); then
	# sops-age reads one document: the Secret, which holds the only
	# encrypted value of the platform file, is given alone.
	awk '/^---$/ { exit } { print }' "$W/$P" > "$tmp/p-doc0.yaml"
	awk '/^---$/ { exit } { print }' "$plain/p1.yaml" \
	    > "$plain/p1-doc0.yaml"
	for c in "$V:v1" "$tmp/p-doc0.yaml:p1-doc0"; do
		f=${c%:*} want=${c#*:}
		case $f in /*) ;; *) f=$W/$f ;; esac
		if node "$TOP/tests/sops/sopsage.mjs" "$npm" "$f" "$KEY" \
		    > "$plain/sa.json" 2>> "$log" && python3 -c '
import json, subprocess, sys
a = json.load(open(sys.argv[1]))
b = json.loads(subprocess.run([sys.argv[2], "plainjson", sys.argv[3]],
    capture_output=True, check=True).stdout)
sys.exit(a != b)' "$plain/sa.json" "$sopstool" "$plain/$want.yaml"; then
			ok "npm-sops-age/$want"
		else
			fail "npm-sops-age/$want" "sops-age disagrees"
		fi
	done
else
	fail npm-sops-age "npm install of sops-age failed: $TOOLS/npm-sops-age.log"
fi

shared_decrypt() {	# shared_decrypt NAME FILE WANT [KEYFILE]
	if SOPSJS_DIR=$js node "$SHARED/tools/sops-decrypt.mjs" "$W/$2" \
	    "${4:-$KEY}" > "$plain/js.json" 2>> "$log" && python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))
b = json.load(open(sys.argv[2]))
sys.exit(a != b)' "$plain/js.json" "$plain/$3.json"; then
		ok "sops-decrypt-mjs/$1"
	else
		fail "sops-decrypt-mjs/$1" "$(tail -n 2 "$log")"
	fi
}
js=
if need_shared sops-decrypt-mjs; then
	js=$(tool_sopsjs) || { fail sops-decrypt-mjs "install failed"; js=; }
fi
if [ -n "$js" ]; then
	shared_decrypt values "$V" v1
	shared_decrypt platform "$P" p1
fi

# ---- regeneration ------------------------------------------------------
# Unchanged: byte-identical, no file rewritten, no key even looked at
# (an identity file that does not exist would be an error if read).
touch "$tmp/stamp"
sleep 1
rg SOPS_AGE_KEY_FILE="$tmp/no-such-key" -o out app.rail
st=$?
if [ $st -eq 0 ] && same_tree fresh &&
    [ -z "$(find "$W/out" -newer "$tmp/stamp")" ]; then
	ok regen-unchanged-no-key
else
	fail regen-unchanged-no-key "exit $st: $(cat "$tmp/err")"
fi
rg SOPS_AGE_KEY_FILE="$tmp/no-such-key" --check -o out app.rail &&
    ok check-unchanged-no-key ||
    fail check-unchanged-no-key "$(cat "$tmp/err")"

# A clear change: image tag, resources, host.  Ciphertexts, MAC and
# lastmodified stay; the clear lines move; no key.
model 's/3f9c2e1a7b4d/0a1b2c3d4e5f/' 's/256Mi\.\.512Mi/300Mi..600Mi/' \
    's/vergabe-teilnahme\.whywhynot\.de/vt.whywhynot.de/g'
if rg -o out app.rail &&
    [ "$(cipher_lines "$tmp/snap-fresh/${V#out/}")" = \
    "$(cipher_lines "$W/$V")" ] &&
    [ "$(cipher_lines "$tmp/snap-fresh/${P#out/}")" = \
    "$(cipher_lines "$W/$P")" ] &&
    grep -q '^    tag: 0a1b2c3d4e5f$' "$W/$V" &&
    grep -q '^        memory: 600Mi$' "$W/$V" &&
    grep -q '^    - vt.whywhynot.de$' "$W/$V"; then
	ok regen-clear-change-no-key
else
	fail regen-clear-change-no-key "$(cat "$tmp/err")"
fi
dec "$V" v2 && check clear-change-decrypts test \
    "$(jget v2 'd["secrets"]')" = "$(jget v1 'd["secrets"]')"
[ -n "$js" ] && shared_decrypt clear-change "$V" v2
rg --check -o out app.rail && ok check-clear-change ||
    fail check-clear-change "$(cat "$tmp/err")"
snap clear

# A new secret: refused without a key, the whole tree untouched.
model 's/3f9c2e1a7b4d/0a1b2c3d4e5f/' 's/256Mi\.\.512Mi/300Mi..600Mi/' \
    's/vergabe-teilnahme\.whywhynot\.de/vt.whywhynot.de/g' \
    's/^\tsecret DJANGO_SECRET_KEY .*$/&\n\tsecret API_TOKEN = random(24)/'
rg -o out app.rail
st=$?
if [ $st -eq 1 ] && same_tree clear &&
    grep -q "secret 'API_TOKEN' is new" "$tmp/err" &&
    grep -q '^hint: set SOPS_AGE_KEY_FILE' "$tmp/err" &&
    grep -q 'nothing was written' "$tmp/err"; then
	ok regen-new-secret-needs-key
else
	fail regen-new-secret-needs-key "exit $st: $(cat "$tmp/err")"
fi
rg --check -o out app.rail
st=$?
[ $st -eq 1 ] && grep -q "drift: out/helm/vergabe-teilnahme-values.sops.yaml: must change.*secret 'API_TOKEN' is new" \
    "$tmp/err" && ok check-new-secret-is-drift ||
    fail check-new-secret-is-drift "exit $st: $(cat "$tmp/err")"

# With the key: only the new value is encrypted anew.
if rg SOPS_AGE_KEY_FILE="$KEY" -o out app.rail &&
    grep -F "$(grep 'DJANGO_SECRET_KEY:' "$tmp/snap-clear/${V#out/}")" \
    "$W/$V" > /dev/null &&
    grep -F "$(grep 'DATABASE_URL:' "$tmp/snap-clear/${V#out/}")" \
    "$W/$V" > /dev/null &&
    grep -q '^    API_TOKEN: ENC\[' "$W/$V" &&
    ! grep -F "$(grep '^    mac:' "$tmp/snap-clear/${V#out/}")" "$W/$V" \
    > /dev/null && cmp -s "$tmp/snap-clear/${P#out/}" "$W/$P" &&
    [ "$(stanza "$W/$V")" = "$(stanza "$tmp/snap-clear/${V#out/}")" ]
then
	ok regen-new-secret-with-key
else
	fail regen-new-secret-with-key "$(cat "$tmp/err")"
fi
dec "$V" v3 && tok=$(jget v3 'd["secrets"]["API_TOKEN"]') &&
    check new-secret-value test "${#tok}" -eq 24
[ -n "$js" ] && shared_decrypt new-secret "$V" v3
snap newsecret

# A secret removed: its ciphertext goes, which needs the key.
model 's/3f9c2e1a7b4d/0a1b2c3d4e5f/' 's/256Mi\.\.512Mi/300Mi..600Mi/' \
    's/vergabe-teilnahme\.whywhynot\.de/vt.whywhynot.de/g'
rg -o out app.rail
st=$?
[ $st -eq 1 ] && same_tree newsecret &&
    grep -q "secret 'API_TOKEN' was removed" "$tmp/err" &&
    ok regen-removed-needs-key ||
    fail regen-removed-needs-key "exit $st: $(cat "$tmp/err")"
rg SOPS_AGE_KEY_FILE="$KEY" -o out app.rail && ! grep -q API_TOKEN "$W/$V" &&
    ok regen-removed-with-key ||
    fail regen-removed-with-key "$(cat "$tmp/err")"
snap removed

# --rotate: refused without a key; with it, one value changes.
rg --rotate DJANGO_SECRET_KEY -o out app.rail
st=$?
[ $st -eq 1 ] && same_tree removed &&
    grep -q -- '--rotate DJANGO_SECRET_KEY' "$tmp/err" &&
    ok rotate-needs-key || fail rotate-needs-key "exit $st: $(cat "$tmp/err")"
if rg SOPS_AGE_KEY_FILE="$KEY" --rotate vergabe-teilnahme/DJANGO_SECRET_KEY \
    -o out app.rail && dec "$V" v4 &&
    [ "$(jget v4 'd["secrets"]["DJANGO_SECRET_KEY"]')" != "$sk" ] &&
    [ "$(jget v4 'd["secrets"]["DATABASE_URL"]')" = "$dsn" ] &&
    grep -F "$(grep 'DATABASE_URL:' "$tmp/snap-removed/${V#out/}")" \
    "$W/$V" > /dev/null && cmp -s "$tmp/snap-removed/${P#out/}" "$W/$P"
then
	ok rotate-one-secret
else
	fail rotate-one-secret "$(cat "$tmp/err")"
fi
rg --rotate NO_SUCH_SECRET -o out app.rail
[ $? -eq 2 ] && grep -q "'NO_SUCH_SECRET' names no secret" "$tmp/err" &&
    ok rotate-unknown || fail rotate-unknown "$(cat "$tmp/err")"
rg --check --rotate DJANGO_SECRET_KEY -o out app.rail
[ $? -eq 2 ] && ok rotate-with-check-refused ||
    fail rotate-with-check-refused "$(cat "$tmp/err")"

# Rotating the DSN makes a new password, the same in both files.
if rg SOPS_AGE_KEY_FILE="$KEY" --rotate DATABASE_URL -o out app.rail &&
    dec "$V" v5 && dec "$P" p5; then
	pw5=$(jget p5 'd[0]["stringData"]["password"]')
	dsn5=$(jget v5 'd["secrets"]["DATABASE_URL"]')
	check rotate-password test "$pw5" != "$pw" -a \
	    "$(dsn_password "$dsn5")" = "$pw5" -a "${#pw5}" -eq 32
else
	fail rotate-password "$(cat "$tmp/err")"
fi
snap rotated

# The database moves (another role): the DSN is rebuilt with the same
# password, which needs the key; the Secret's password ciphertext stays.
model 's/3f9c2e1a7b4d/0a1b2c3d4e5f/' 's/256Mi\.\.512Mi/300Mi..600Mi/' \
    's/vergabe-teilnahme\.whywhynot\.de/vt.whywhynot.de/g' \
    's/^\(\t\trole  *\)vergabe$/\1vergabe_app/'
rg -o out app.rail
st=$?
[ $st -eq 1 ] && same_tree rotated &&
    grep -q "database 'vergabe_db' moved or changed its role" "$tmp/err" &&
    ok regen-database-needs-key ||
    fail regen-database-needs-key "exit $st: $(cat "$tmp/err")"
if rg SOPS_AGE_KEY_FILE="$KEY" -o out app.rail && dec "$V" v6 &&
    dec "$P" p6 && dsn6=$(jget v6 'd["secrets"]["DATABASE_URL"]') &&
    [ "$(dsn_password "$dsn6")" = "$pw5" ] &&
    case $dsn6 in postgresql://vergabe_app:*) true ;; *) false ;; esac &&
    [ "$(jget p6 'd[0]["stringData"]["username"]')" = vergabe_app ] &&
    grep -F "$(grep 'password: ENC' "$tmp/snap-rotated/${P#out/}")" \
    "$W/$P" > /dev/null; then
	ok regen-database-with-key
else
	fail regen-database-with-key "$(cat "$tmp/err")"
fi
snap moved

# One file lost: its password comes from the other, with the key.
rm "$W/$P"
rg -o out app.rail
st=$?
[ $st -eq 1 ] && [ ! -f "$W/$P" ] &&
    grep -q 'vergabe-teilnahme-database.yaml is missing' "$tmp/err" &&
    ok platform-missing-needs-key ||
    fail platform-missing-needs-key "exit $st: $(cat "$tmp/err")"
if rg SOPS_AGE_KEY_FILE="$KEY" -o out app.rail && dec "$P" p7 &&
    [ "$(jget p7 'd[0]["stringData"]["password"]')" = "$pw5" ] &&
    cmp -s "$tmp/snap-moved/${V#out/}" "$W/$V"; then
	ok platform-from-values
else
	fail platform-from-values "$(cat "$tmp/err")"
fi
rm "$W/$V"
if rg SOPS_AGE_KEY_FILE="$KEY" -o out app.rail && dec "$V" v8 &&
    [ "$(dsn_password "$(jget v8 'd["secrets"]["DATABASE_URL"]')")" = \
    "$pw5" ] && [ "$(jget v8 'd["secrets"]["DJANGO_SECRET_KEY"]')" != \
    "$(jget v6 'd["secrets"]["DJANGO_SECRET_KEY"]')" ]; then
	ok values-from-platform
else
	fail values-from-platform "$(cat "$tmp/err")"
fi
snap restored

# A recipient added: the data key is wrapped for it, nothing else moves.
model 's/3f9c2e1a7b4d/0a1b2c3d4e5f/' 's/256Mi\.\.512Mi/300Mi..600Mi/' \
    's/vergabe-teilnahme\.whywhynot\.de/vt.whywhynot.de/g' \
    's/^\(\t\trole  *\)vergabe$/\1vergabe_app/' \
    "s/^\\trecipients .*/& $R2/"
rg -o out app.rail
st=$?
[ $st -eq 1 ] && same_tree restored && grep -q "recipient $R2 is new" \
    "$tmp/err" && ok recipient-needs-key ||
    fail recipient-needs-key "exit $st: $(cat "$tmp/err")"
if rg SOPS_AGE_KEY_FILE="$KEY" -o out app.rail &&
    [ "$(cipher_lines "$tmp/snap-restored/${V#out/}" | grep "ENC\\[")" = \
    "$(cipher_lines "$W/$V" | grep "ENC\\[")" ] &&
    [ "$(stanza "$W/$V" 1)" = "$(stanza "$tmp/snap-restored/${V#out/}")" ] &&
    stanza "$W/$V" 2 > "$tmp/s2.age" &&
    [ "$(age -d -i "$tmp/k2" "$tmp/s2.age" | od -An -tx1 | tr -d ' \n')" = \
    "$("$sopstool" datakey -i "$KEY" "$W/$V" 2>> "$log")" ] &&
    dec "$V" v9 "$tmp/k2" && dec "$P" p9 "$tmp/k2" &&
    grep -q "$R2" "$W/out/.sops.yaml"; then
	ok recipient-added
else
	fail recipient-added "$(cat "$tmp/err")"
fi
[ -n "$js" ] && shared_decrypt second-recipient "$P" p9 "$tmp/k2"

# A supplied secret: read from the environment only when new.
model 's/^\tsecret DJANGO_SECRET_KEY .*$/&\n\tsecret STRIPE_KEY = env(T_STRIPE)/'
snap beforesupplied
rg SOPS_AGE_KEY_FILE="$KEY" -o out app.rail
st=$?
[ $st -eq 1 ] && same_tree beforesupplied &&
    grep -q "the variable 'T_STRIPE' is not set" "$tmp/err" &&
    ok supplied-missing-variable ||
    fail supplied-missing-variable "exit $st: $(cat "$tmp/err")"
stripe=sk_live_T3st-supplied-value-do-not-ship
if rg SOPS_AGE_KEY_FILE="$KEY" T_STRIPE="$stripe" -o out app.rail &&
    dec "$V" v10 &&
    [ "$(jget v10 'd["secrets"]["STRIPE_KEY"]')" = "$stripe" ] &&
    snap supplied && rg -o out app.rail && same_tree supplied; then
	ok supplied-read-once
else
	fail supplied-read-once "$(cat "$tmp/err")"
fi

# --check on a tree that lost its values file: drift, and still no key.
mv "$W/$V" "$tmp/values.keep"
rg SOPS_AGE_KEY_FILE="$tmp/no-such-key" --check -o out app.rail
st=$?
[ $st -eq 1 ] && grep -q "drift: $V: missing" "$tmp/err" &&
    ok check-missing-file || fail check-missing-file "exit $st: $(cat "$tmp/err")"
mv "$tmp/values.keep" "$W/$V"

# ---- the chart with the decrypted values -------------------------------
deploy_chart() {
	need_shared helm-template || return
	if ! helm=$(tool_helm v3) || ! vk=$(tool_validate_k8s); then
		fail helm-template "helm or validate-k8s install failed"
		return
	fi
	SOPS_AGE_KEY_FILE=$KEY "$RAILGEN" decrypt "$W/$V" 2>> "$log" |
	    "$helm" template vergabe-teilnahme \
	    "$W/out/releases/vergabe-teilnahme" --namespace \
	    vergabe-teilnahme -f - > "$plain/rendered.yaml" 2>> "$log" ||
	    { fail helm-template "$(tail -n 3 "$log")"; return; }
	check helm-template-pss-restricted node \
	    "$SHARED/tools/validate-k8s.mjs" --deps "$vk" --pss restricted \
	    "$plain/rendered.yaml"
	check helm-template-has-secret grep -q "STRIPE_KEY: \"$stripe\"" \
	    "$plain/rendered.yaml"
	SOPS_AGE_KEY_FILE=$KEY "$RAILGEN" decrypt "$W/$P" > \
	    "$plain/platform.yaml" 2>> "$log" &&
	    check platform-validates node "$SHARED/tools/validate-k8s.mjs" \
	    --deps "$vk" "$plain/platform.yaml"
}
deploy_chart

# make deploy: `sops -d` (here railgen decrypt behind a stub) feeds
# helm's standard input, and nothing decrypted touches the disk.
stubs=$tmp/stubs
mkdir -p "$stubs"
cat > "$stubs/sops" <<EOF
#!/bin/sh
[ "\$1" = -d ] || exit 64
SOPS_AGE_KEY_FILE='$KEY' exec '$RAILGEN' decrypt "\$2"
EOF
cat > "$stubs/helm" <<'EOF'
#!/bin/sh
case " $* " in
*" -f - "*) sha256sum | cut -d' ' -f1 >> "$STUB_LOG" ;;
esac
EOF
printf '#!/bin/sh\nexit 0\n' > "$stubs/kubectl"
chmod +x "$stubs"/*
export STUB_LOG=$tmp/stub.log
: > "$STUB_LOG"
if (cd "$W/out" && TMPDIR="$scratch" make -s -f mk/vergabe-teilnahme.mk \
    vergabe-deploy SOPS="$stubs/sops" HELM="$stubs/helm" \
    KUBECTL="$stubs/kubectl") >> "$log" 2>&1; then
	want=$(SOPS_AGE_KEY_FILE=$KEY "$RAILGEN" decrypt "$W/$V" | sha256sum |
	    cut -d' ' -f1)
	check make-deploy-pipes-values test "$(cat "$STUB_LOG")" = "$want"
else
	fail make-deploy-pipes-values "make failed: $(tail -n 3 "$log")"
fi

# ---- nothing in clear --------------------------------------------------
# Every secret decrypted above, searched for in the tree, in everything
# railgen printed, and in its TMPDIR, which must also be left empty.
{
	for n in v1 v3 v4 v5 v6 v8 v9 v10; do
		[ -f "$plain/$n.json" ] || continue
		python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
for v in d["secrets"].values():
	print(v)' "$plain/$n.json"
	done
	for n in p1 p5 p6 p7 p9; do
		[ -f "$plain/$n.json" ] &&
		    jget "$n" 'd[0]["stringData"]["password"]'
	done
	echo "$stripe"
} | sort -u > "$plain/all-secrets"
leaked=
while read -r s; do
	[ -n "$s" ] || continue
	grep -rqF -- "$s" "$W/out" "$log" "$scratch" "$STUB_LOG" &&
	    leaked="$leaked ${#s}-char value"
done < "$plain/all-secrets"
check no-secret-in-clear test -z "$leaked" -a \
    "$(wc -l < "$plain/all-secrets")" -ge 10
check tmpdir-left-empty test -z "$(ls -A "$scratch")"

done_testing
