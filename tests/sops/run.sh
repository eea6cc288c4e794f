#!/bin/sh
# run.sh: SOPS files.  The shared fixtures written by sops decrypt to their
# expected JSON; files railgen writes decrypt with sops-decrypt.mjs, npm
# sops-age and (the data key) the age CLI; tampering is caught; the
# regeneration rules hold; no secret reaches a log.
. "$(dirname "$0")/../lib.sh"

# XXX: not $(mktemp_dir): its EXIT trap fires in the command substitution's
# subshell and removes the directory at once (tests/lib.sh, reported).
tmp=$(mktemp -d "${TMPDIR:-/tmp}/railgen-test.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
case $BUILD in
/*)	bin=$BUILD/tests/bin ;;
*)	bin=$TOP/$BUILD/tests/bin ;;
esac
sopstool=$bin/sopstool
here=$TOP/tests/sops
log=$tmp/log		# every stdout/stderr that must hold no secret

# Identities only from what each case sets, never from the real home.
export HOME="$tmp/home"
unset SOPS_AGE_KEY SOPS_AGE_KEY_FILE XDG_CONFIG_HOME

# ---- keys and outside tools -----------------------------------------
age-keygen -o "$tmp/k1" 2>/dev/null && age-keygen -o "$tmp/k2" 2>/dev/null &&
    age-keygen -o "$tmp/k3" 2>/dev/null || fail keys "age-keygen failed"
R1=$(age-keygen -y "$tmp/k1")
R2=$(age-keygen -y "$tmp/k2")


if npm=$(tool_npm_sops_age); then
	ok npm-sops-age
else
	fail npm-sops-age "npm install of sops-age failed"
	npm=
fi

# write OUT [sopstool write options...]: a file, logging stderr.
write() {
	w_out=$1
	shift
	"$sopstool" write "$@" > "$w_out" 2>> "$log"
}

# json FILE KEYFILE: the decrypted JSON view, MAC checked.
json() {
	"$sopstool" json -i "$2" "$1" 2>> "$log"
}

# The armored age stanza of recipient N (1-based) of a file.
stanza() {
	awk -v n="$2" '/-----BEGIN AGE/ { k++; p = k == n }
	    p { sub(/^ +/, ""); print } /-----END AGE/ { p = 0 }' "$1"
}

# ---- the shared fixtures ----------------------------------------------
fixture_cases() {
	cat <<'EOF'
getsops-sops/example.yaml keys.txt 9ac088cf7029981341457c39dd56dde54600dfbce9b5ede23aa65c418900ab67
getsops-sops/example.json keys.txt 82ee047aa51fbcf65882bdeb1996b6d729d457364a9eba6b41766cc742415fdb
getsops-sops/example.txt keys.txt 34fabb4b000ca1928576c3b632904de7033bc24734eaa1f0d9ee8d32fdfecc6a
helm-secrets/secrets.age.yaml key.txt 6798cb778841891c459dde148789260418757698787d1fc2fc85bd23e1d98d6e
sops-age-npm/secret.enc.yaml key.txt 81d247290bee0b25484e76101e727f63fc984896953fe4888864f49db529e73a
sops-age-npm/secret.enc.json key.txt 3179b6f3028d542104273fb29380218e5264913b9daf4551a6a2262cee3de70a
p5-file-sops/non-ascii-keys.sops.yaml non-ascii-keys.key.txt 9e803734097cfd3ca3ac17d0c779ba8f975d738cd75290db39f5f61b93c292bb
p5-file-sops/plain-inf.sops.yaml inf.key.txt 412ec8aeb27d9767f4f85ea85e74b13246e246f8cbe66c005abe91b1c02a0e46
p5-file-sops/quoted-inf.sops.yaml inf.key.txt 8b2ba27a42ba88705c0f180d27b49e46d95a60a2385b055c7d0f5063bbe0b409
p5-file-sops/merge-key.sops.yaml merge-key.key.txt 3edd09dc2d2491db36bf0d528ea24836764fdce4fef72677f4fd9ac21871c193
EOF
}

fixtures() {
	need_shared fixtures || return
	fx=$SHARED/sops-fixtures
	fixture_cases > "$tmp/cases"
	while read -r f id key; do
		d=${f%/*}
		want=$fx/$f.expected.json
		# The data key alone (no age), then the identity file.
		if "$sopstool" json -k "$key" "$fx/$f" > "$tmp/fx.json" &&
		    cmp -s "$tmp/fx.json" "$want"; then
			ok "fixture-key:$f"
		else
			fail "fixture-key:$f" "$(diff "$want" "$tmp/fx.json" |
			    head -5)"
		fi
		if json "$fx/$f" "$fx/$d/$id" > "$tmp/fx.json" &&
		    cmp -s "$tmp/fx.json" "$want"; then
			ok "fixture-identity:$f"
		else
			fail "fixture-identity:$f" "differs from its JSON"
		fi
		# railgen decrypt shows the same content, as YAML.
		if SOPS_AGE_KEY_FILE=$fx/$d/$id "$RAILGEN" decrypt "$fx/$f" \
		    > "$tmp/fx.yaml" 2>> "$log" &&
		    "$sopstool" plainjson "$tmp/fx.yaml" > "$tmp/fx.json" &&
		    cmp -s "$tmp/fx.json" "$want"; then
			ok "fixture-decrypt:$f"
		else
			fail "fixture-decrypt:$f" "railgen decrypt differs"
		fi
	done < "$tmp/cases"
	# Files sops 3.13.3 wrote come back byte for byte (IV stash).
	for f in non-ascii-keys plain-inf quoted-inf merge-key; do
		key=$(fixture_cases | awk -v f="p5-file-sops/$f.sops.yaml" \
		    '$1 == f { print $3 }')
		if "$sopstool" reencrypt -k "$key" \
		    "$fx/p5-file-sops/$f.sops.yaml" > "$tmp/re.yaml" &&
		    cmp -s "$tmp/re.yaml" "$fx/p5-file-sops/$f.sops.yaml"; then
			ok "reencrypt-byte-exact:$f"
		else
			fail "reencrypt-byte-exact:$f" "$(diff \
			    "$fx/p5-file-sops/$f.sops.yaml" "$tmp/re.yaml" |
			    head -5)"
		fi
	done
}

# ---- files railgen writes, read by others -----------------------------
written() {
	if ! write "$tmp/v1.yaml" -r '^(secrets)$' -m -R "$R1" \
	    "$here/values.yaml"; then
		fail write "sops_write failed: $(tail -n 3 "$log")"
		return
	fi
	ok write
	grep -q '^    encrypted_regex: \^(secrets)\$$' "$tmp/v1.yaml" &&
	    grep -q '^    mac_only_encrypted: true$' "$tmp/v1.yaml" &&
	    grep -q '^    version: 3\.13\.3$' "$tmp/v1.yaml" &&
	    grep -q '^    tag: 3f9c2e1a7b4d$' "$tmp/v1.yaml" &&
	    grep -q '^sops:$' "$tmp/v1.yaml" &&
	    grep -q 'mac: ENC\[.*,type:str\]$' "$tmp/v1.yaml" &&
	    ok written-layout || fail written-layout "unexpected layout"

	json "$tmp/v1.yaml" "$tmp/k1" > "$tmp/v1.json"
	"$sopstool" plainjson "$here/values.yaml" > "$tmp/plain.json"
	cmp -s "$tmp/v1.json" "$tmp/plain.json" && ok written-roundtrip ||
	    fail written-roundtrip "$(diff "$tmp/plain.json" "$tmp/v1.json")"

	# railgen decrypt prints what the plaintext emits as.
	"$bin/yamltool" "$here/values.yaml" > "$tmp/plain.yaml"
	SOPS_AGE_KEY_FILE=$tmp/k1 "$RAILGEN" decrypt "$tmp/v1.yaml" \
	    > "$tmp/dec.yaml" 2>> "$log"
	cmp -s "$tmp/dec.yaml" "$tmp/plain.yaml" && ok decrypt-command ||
	    fail decrypt-command "$(diff "$tmp/plain.yaml" "$tmp/dec.yaml")"

	# The age CLI opens the stanza to the data key we use.
	stanza "$tmp/v1.yaml" 1 > "$tmp/stanza.age"
	a=$(age -d -i "$tmp/k1" "$tmp/stanza.age" | od -An -tx1 | tr -d ' \n')
	b=$("$sopstool" datakey -i "$tmp/k1" "$tmp/v1.yaml")
	[ ${#a} -eq 64 ] && [ "$a" = "$b" ] && ok age-cli-stanza ||
	    fail age-cli-stanza "age -d gave '${#a}' hex digits"

	if [ -n "$npm" ] && node "$here/sopsage.mjs" "$npm" "$tmp/v1.yaml" \
	    "$tmp/k1" > "$tmp/sa.json" 2>> "$log" &&
	    cmp -s "$tmp/sa.json" "$tmp/plain.json"; then
		ok npm-sops-age-decrypts
	else
		fail npm-sops-age-decrypts "sops-age disagrees"
	fi

	if write "$tmp/t1.yaml" -R "$R1" -R "$R2" "$here/types.yaml" &&
	    json "$tmp/t1.yaml" "$tmp/k2" > "$tmp/t1.json" &&
	    "$sopstool" plainjson "$here/types.yaml" > "$tmp/tp.json" &&
	    cmp -s "$tmp/t1.json" "$tmp/tp.json"; then
		ok types-two-recipients
	else
		fail types-two-recipients "types file does not round-trip"
	fi
	grep -q 'count: ENC\[.*,type:int\]' "$tmp/t1.yaml" &&
	    grep -q 'ratio: ENC\[.*,type:float\]' "$tmp/t1.yaml" &&
	    grep -q 'flag: ENC\[.*,type:bool\]' "$tmp/t1.yaml" &&
	    grep -q 'when: ENC\[.*,type:time\]' "$tmp/t1.yaml" &&
	    grep -q '#ENC\[.*,type:comment\]' "$tmp/t1.yaml" &&
	    grep -q 'empty: ""' "$tmp/t1.yaml" &&
	    grep -q 'nothing: null' "$tmp/t1.yaml" &&
	    grep -q 'note_unencrypted: left in clear' "$tmp/t1.yaml" &&
	    ok types-encrypted || fail types-encrypted "types not as sops"

	shared_decryptor
}

# ../shared/tools/sops-decrypt.mjs: an independent decryptor, MAC checked.
shared_decryptor() {
	need_shared sops-decrypt-mjs || return
	if ! js=$(tool_sopsjs); then
		fail sops-decrypt-mjs "install-sopsjs.sh failed"
		return
	fi
	for f in v1 t1; do
		k=$tmp/k1
		[ $f = t1 ] && k=$tmp/k2
		if SOPSJS_DIR=$js node "$SHARED/tools/sops-decrypt.mjs" \
		    "$tmp/$f.yaml" "$k" > "$tmp/js.json" 2>> "$log" &&
		    json "$tmp/$f.yaml" "$k" | cmp -s - "$tmp/js.json"; then
			ok "sops-decrypt-mjs:$f"
		else
			fail "sops-decrypt-mjs:$f" "$(tail -n 2 "$log")"
		fi
	done
}

# ---- tampering --------------------------------------------------------
# expect_fail NAME FILE KEYFILE TEXT: railgen decrypt refuses with TEXT.
expect_fail() {
	SOPS_AGE_KEY_FILE=$3 "$RAILGEN" decrypt "$2" > "$tmp/out" \
	    2> "$tmp/err"
	st=$?
	cat "$tmp/err" >> "$log"
	if [ $st -eq 1 ] && [ ! -s "$tmp/out" ] &&
	    grep -q "$4" "$tmp/err"; then
		ok "$1"
	else
		fail "$1" "exit $st: $(cat "$tmp/err")"
	fi
}

tampering() {
	[ -s "$tmp/v1.yaml" ] || return
	v=$tmp/v1.yaml
	# A ciphertext byte: the first data character of the secret key.
	sed 's/\(DJANGO_SECRET_KEY: ENC\[AES256_GCM,data:\)\(.\)/\1#\2/;
	    s/data:#A/data:B/; s/data:#./data:A/' "$v" > "$tmp/t.yaml"
	expect_fail tamper-ciphertext "$tmp/t.yaml" "$tmp/k1" \
	    "value at 'secrets:DJANGO_SECRET_KEY' is damaged"
	# Two values swapped between keys: GCM fails (the path is the AAD).
	awk '/DJANGO_SECRET_KEY:/ { a = $2 } /DATABASE_URL:/ { b = $2 }
	    { l[NR] = $0 } END { for (i = 1; i <= NR; i++) {
		s = l[i]
		if (s ~ /DJANGO_SECRET_KEY:/) sub(/ENC.*/, b, s)
		else if (s ~ /DATABASE_URL:/) sub(/ENC.*/, a, s)
		print s } }' "$v" > "$tmp/t.yaml"
	expect_fail tamper-swap-keys "$tmp/t.yaml" "$tmp/k1" "is damaged"
	# Two list items swapped: same AAD, only the MAC sees it.
	awk '/^        - ENC/ { it[++n] = $0; if (n == 2) {
		print it[2]; print it[1] }; next } { print }' "$v" \
	    > "$tmp/t.yaml"
	expect_fail tamper-swap-items "$tmp/t.yaml" "$tmp/k1" "MAC mismatch"
	# The MAC itself.
	sed 's/\(mac: ENC\[AES256_GCM,data:\)\(.\)/\1#\2/;
	    s/data:#A/data:B/; s/data:#./data:A/' "$v" > "$tmp/t.yaml"
	expect_fail tamper-mac "$tmp/t.yaml" "$tmp/k1" "MAC"
	# lastmodified is the MAC's additional data.
	sed 's/lastmodified: "2026/lastmodified: "2025/' "$v" > "$tmp/t.yaml"
	expect_fail tamper-lastmodified "$tmp/t.yaml" "$tmp/k1" "MAC"
	# Without mac_only_encrypted a clear value is covered too.
	sed 's/note_unencrypted: left in clear/note_unencrypted: changed/' \
	    "$tmp/t1.yaml" > "$tmp/t.yaml"
	expect_fail tamper-clear-value "$tmp/t.yaml" "$tmp/k1" "MAC mismatch"
	# With it, the clear part may change.
	sed 's/tag: 3f9c2e1a7b4d/tag: 0000/' "$v" > "$tmp/t.yaml"
	SOPS_AGE_KEY_FILE=$tmp/k1 "$RAILGEN" decrypt "$tmp/t.yaml" \
	    > /dev/null 2>> "$log" && ok mac-only-clear-edit ||
	    fail mac-only-clear-edit "a clear edit broke the MAC"
	# Identities.
	expect_fail wrong-identity "$v" "$tmp/k3" \
	    "no identity matches the file's recipients ($R1)"
	expect_fail no-identity "$v" "" "no age identity found"
	grep -q "^hint: set SOPS_AGE_KEY_FILE" "$tmp/err" &&
	    ok no-identity-hint || fail no-identity-hint "no hint"
	mkdir -p "$HOME/.config/sops/age"
	cp "$tmp/k1" "$HOME/.config/sops/age/keys.txt"
	"$RAILGEN" decrypt "$v" > /dev/null 2>> "$log" &&
	    ok default-keys-file || fail default-keys-file "not used"
	rm -f "$HOME/.config/sops/age/keys.txt"
	SOPS_AGE_KEY="$(grep AGE-SECRET "$tmp/k3") $(grep AGE-SECRET \
	    "$tmp/k1")" "$RAILGEN" decrypt "$v" > /dev/null 2>> "$log" &&
	    ok sops-age-key-env || fail sops-age-key-env "SOPS_AGE_KEY"
	expect_fail not-sops "$here/values.yaml" "$tmp/k1" \
	    "sops metadata not found"
}

# ---- regeneration -----------------------------------------------------
# keep FILE: values.yaml with every secret replaced by "@keep".
keep_all() {
	sed 's/^\(    [A-Z_]*\): [^ ].*/\1: "@keep"/;
	    s/^\(        - \)tok-.*/\1"@keep"/' "$here/values.yaml"
}

regeneration() {
	[ -s "$tmp/v1.yaml" ] || return
	v=$tmp/v1.yaml
	t=-t
	keep_all > "$tmp/keep.yaml"
	write "$tmp/r.yaml" -r '^(secrets)$' -m -p "$v" $t 1800000000 \
	    -R "$R1" "$tmp/keep.yaml" && cmp -s "$tmp/r.yaml" "$v" &&
	    ok regen-unchanged-no-key ||
	    fail regen-unchanged-no-key "not byte-identical"

	# A clear change: only that line moves; the MAC still verifies.
	sed 's/tag: 3f9c2e1a7b4d/tag: 9e8d7c6b5a41/' "$tmp/keep.yaml" \
	    > "$tmp/keep2.yaml"
	write "$tmp/r.yaml" -r '^(secrets)$' -m -p "$v" $t 1800000000 \
	    -R "$R1" "$tmp/keep2.yaml"
	d=$(diff "$v" "$tmp/r.yaml" | grep -c '^[<>]')
	if [ "$d" -eq 2 ] && grep -q 'tag: 9e8d7c6b5a41' "$tmp/r.yaml" &&
	    json "$tmp/r.yaml" "$tmp/k1" > /dev/null; then
		ok regen-clear-change-no-key
	else
		fail regen-clear-change-no-key "$(diff "$v" "$tmp/r.yaml")"
	fi

	# A new secret needs the data key: refused without an identity.
	cp "$tmp/keep2.yaml" "$tmp/new.yaml"
	printf '    NEW_TOKEN: N3w-s3cret-token-for-rotation\n' \
	    >> "$tmp/new.yaml"
	"$sopstool" write -r '^(secrets)$' -m -p "$v" -R "$R1" \
	    "$tmp/new.yaml" > "$tmp/r.yaml" 2> "$tmp/err"
	st=$?
	cat "$tmp/err" >> "$log"
	[ $st -eq 4 ] && [ ! -s "$tmp/r.yaml" ] &&
	    grep -q SOPS_AGE_KEY_FILE "$tmp/err" && ok regen-new-needs-key ||
	    fail regen-new-needs-key "exit $st: $(cat "$tmp/err")"

	# With the identity: old ciphertexts stay, the MAC moves.
	SOPS_AGE_KEY_FILE=$tmp/k1 write "$tmp/r.yaml" -r '^(secrets)$' -m \
	    -p "$v" $t 1800000000 -R "$R1" "$tmp/new.yaml"
	same=1
	for k in DJANGO_SECRET_KEY DATABASE_URL; do
		grep -F "$(grep "$k:" "$v")" "$tmp/r.yaml" > /dev/null ||
		    same=0
	done
	[ "$(grep -c '^        - ENC' "$tmp/r.yaml")" -eq 2 ] &&
	    [ "$(grep '^        - ENC' "$v")" = \
	    "$(grep '^        - ENC' "$tmp/r.yaml")" ] || same=0
	if [ $same -eq 1 ] && grep -q 'NEW_TOKEN: ENC\[' "$tmp/r.yaml" &&
	    ! grep -qF "$(grep 'mac: ' "$v")" "$tmp/r.yaml" &&
	    grep -q 'lastmodified: "2027-01-15T08:00:00Z"' "$tmp/r.yaml" &&
	    stanza "$v" 1 | cmp -s - "$tmp/stanza.age" &&
	    json "$tmp/r.yaml" "$tmp/k1" | grep -q N3w-s3cret; then
		ok regen-new-with-key
	else
		fail regen-new-with-key "$(diff "$v" "$tmp/r.yaml")"
	fi

	# Rotation: a new value for one secret; the others stay.
	url='postgresql://vergabe:N3w-s3cret-token-for-rotation@db/v'
	sed "s|^\\(    DATABASE_URL\\): .*|\\1: $url|" "$tmp/keep.yaml" \
	    > "$tmp/rot.yaml"
	SOPS_AGE_KEY_FILE=$tmp/k1 write "$tmp/r.yaml" -r '^(secrets)$' -m \
	    -p "$v" $t 1800000000 -R "$R1" "$tmp/rot.yaml"
	if grep -qF "$(grep 'DJANGO_SECRET_KEY:' "$v")" "$tmp/r.yaml" &&
	    ! grep -qF "$(grep 'DATABASE_URL:' "$v")" "$tmp/r.yaml" &&
	    json "$tmp/r.yaml" "$tmp/k1" | grep -q 'vergabe:N3w-s3cret'; then
		ok regen-rotate-one
	else
		fail regen-rotate-one "$(diff "$v" "$tmp/r.yaml")"
	fi

	# A new recipient: its stanza is added, everything else stays.
	"$sopstool" write -r '^(secrets)$' -m -p "$v" -R "$R1" -R "$R2" \
	    "$tmp/keep.yaml" > "$tmp/r.yaml" 2> "$tmp/err"
	[ $? -eq 4 ] && ok regen-recipient-needs-key ||
	    fail regen-recipient-needs-key "$(cat "$tmp/err")"
	cat "$tmp/err" >> "$log"
	SOPS_AGE_KEY_FILE=$tmp/k1 write "$tmp/r.yaml" -r '^(secrets)$' -m \
	    -p "$v" $t 1800000000 -R "$R1" -R "$R2" "$tmp/keep.yaml"
	stanza "$tmp/r.yaml" 2 > "$tmp/s2.age"
	a=$(age -d -i "$tmp/k2" "$tmp/s2.age" | od -An -tx1 | tr -d ' \n')
	# Nothing removed; added: "- enc: |", 7 armor lines, recipient.
	if [ "$a" = "$b" ] && stanza "$tmp/r.yaml" 1 |
	    cmp -s - "$tmp/stanza.age" &&
	    [ -z "$(diff "$v" "$tmp/r.yaml" | grep '^<')" ] &&
	    [ "$(diff "$v" "$tmp/r.yaml" | grep -c '^>')" -eq 9 ] &&
	    json "$tmp/r.yaml" "$tmp/k2" > /dev/null; then
		ok regen-recipient-added
	else
		fail regen-recipient-added "$(diff "$v" "$tmp/r.yaml")"
	fi

	# Dropping a recipient needs no key: its stanza goes.
	cp "$tmp/r.yaml" "$tmp/two.yaml"
	write "$tmp/r.yaml" -r '^(secrets)$' -m -p "$tmp/two.yaml" \
	    -R "$R1" "$tmp/keep.yaml" && cmp -s "$tmp/r.yaml" "$v" &&
	    ok regen-recipient-removed ||
	    fail regen-recipient-removed "$(diff "$v" "$tmp/r.yaml")"

	# Keeping a value the previous file does not have is an error.
	printf '    MISSING: "@keep"\n' >> "$tmp/keep.yaml"
	"$sopstool" write -r '^(secrets)$' -m -p "$v" -R "$R1" \
	    "$tmp/keep.yaml" > "$tmp/r.yaml" 2> "$tmp/err"
	[ $? -eq 8 ] && grep -q "no previous value to keep at " "$tmp/err" &&
	    ok regen-keep-missing || fail regen-keep-missing \
	    "$(cat "$tmp/err")"
	cat "$tmp/err" >> "$log"
}

# ---- no secret in any log ---------------------------------------------
leaks() {
	leaked=
	while read -r s; do
		for f in "$log" "$tmp/v1.yaml" "$tmp/t1.yaml"; do
			[ -f "$f" ] && grep -qF "$s" "$f" && leaked="$leaked $s"
		done
	done < "$here/secrets.txt"
	[ -z "$leaked" ] && ok no-secret-in-output ||
	    fail no-secret-in-output "found:$leaked"
}

: > "$log"
fixtures
written
tampering
regeneration
leaks
done_testing
