#!/bin/sh
# run.sh: railgen's age against the CCTV vectors, the age CLI and npm's
# age-encryption, and railgen keygen against age-keygen.
. "$(dirname "$0")/../lib.sh"

tmp=$(mktemp_dir)
case $BUILD in
/*)	bin=$BUILD/tests/bin ;;
*)	bin=$TOP/$BUILD/tests/bin ;;
esac
agetool=$bin/agetool
here=$TOP/tests/age

# ---- outside implementations ----------------------------------------
if npm=$(tool_npm cctv-age@0.2.0 age-encryption@0.3.1); then
	ok npm-tools
else
	fail npm-tools "npm install of cctv-age, age-encryption failed"
	npm=
fi
agejs() { node "$here/agejs.mjs" "$npm" "$@"; }

# ---- test vectors ---------------------------------------------------
vectors() {
	if [ -z "$npm" ] || ! node "$here/vectors.mjs" "$npm" "$tmp/vec"; then
		fail vectors "could not extract the vectors from cctv-age"
		return
	fi
	"$bin/agevec" "$tmp/vec/cases" > "$tmp/vec.out"
	cat "$tmp/vec.out"
	grep -q '^FAIL' "$tmp/vec.out" && t_failed=1
	n_ok=$(grep -c '^ok' "$tmp/vec.out")
	n_skip=$(grep -c '^skip' "$tmp/vec.out")
	# 125 vectors need no ML-KEM; the 18 that do are skipped.
	if [ "$n_ok" -eq 125 ] && [ "$n_skip" -eq 18 ]; then
		ok vector-count
	else
		fail vector-count "$n_ok passed and $n_skip skipped, want 125/18"
	fi
}

vectors_shared() {
	need_shared vectors-equal-shared || return
	d=$SHARED/age-vectors
	bad=
	n=0
	for f in "$d"/*; do
		name=${f##*/}
		case $name in README.txt|INDEX.tsv|SHA256SUMS) continue ;; esac
		n=$((n + 1))
		cmp -s "$f" "$tmp/vec/raw/$name" || bad="$bad $name"
	done
	m=$(ls "$tmp/vec/raw" | wc -l)
	if [ -z "$bad" ] && [ "$n" -eq "$m" ] && [ "$n" -eq 143 ]; then
		ok vectors-equal-shared
	else
		fail vectors-equal-shared "differ:$bad ($n shared, $m npm)"
	fi
	# The shared runner, through the command line, with failure classes.
	out=$(python3 "$SHARED/tools/run-age-vectors.py" \
	    --cmd "$agetool decrypt {armor} -i {keys} -o {out} {in}" \
	    --pass-cmd "$agetool decrypt {armor} -p {passfile} -o {out} {in}" \
	    --armor-flag=-a --check-partial \
	    --kind-regex 'agetool: ([^:]+):' "$d" 2>&1)
	case $out in
	*"125 passed, 0 failed, 18 skipped")
		ok vectors-shared-runner ;;
	*)	fail vectors-shared-runner "$(printf '%s' "$out" | tail -n 5)" ;;
	esac
}

# ---- keys -----------------------------------------------------------
# A: age-keygen, J: npm age-encryption, G: railgen keygen.
make_keys() {
	age-keygen -o "$tmp/A.key" 2>/dev/null &&
	    age-keygen -y "$tmp/A.key" > "$tmp/A.pub" || return 1
	[ -n "$npm" ] && agejs keygen > "$tmp/J.both" || return 1
	sed -n 1p "$tmp/J.both" > "$tmp/J.key"
	sed -n 2p "$tmp/J.both" > "$tmp/J.pub"
	"$RAILGEN" keygen -o "$tmp/G.key" 2> "$tmp/G.err" &&
	    age-keygen -y "$tmp/G.key" > "$tmp/G.pub"
}

keys_cross() {
	if "$RAILGEN" keygen -y "$tmp/A.key" > "$tmp/A.ours" &&
	    cmp -s "$tmp/A.ours" "$tmp/A.pub"; then
		ok keys-age-keygen-load-in-railgen
	else
		fail keys-age-keygen-load-in-railgen "recipients differ"
	fi
	if "$RAILGEN" keygen -y "$tmp/G.key" > "$tmp/G.ours" &&
	    cmp -s "$tmp/G.ours" "$tmp/G.pub"; then
		ok keys-railgen-load-in-age
	else
		fail keys-railgen-load-in-age "age-keygen -y disagrees"
	fi
	if agejs encrypt -r "$(cat "$tmp/G.pub")" < "$tmp/G.pub" |
	    agejs decrypt -i "$tmp/G.key" | cmp -s - "$tmp/G.pub"; then
		ok keys-railgen-load-in-age-encryption
	else
		fail keys-railgen-load-in-age-encryption "npm rejects the key"
	fi
}

# ---- interop matrix -------------------------------------------------
# enc_* and dec_* read stdin and write stdout; $1 is "-a" or "".
enc_railgen() { a=$1; shift; "$agetool" encrypt $a "$@"; }
enc_age() { a=$1; shift; age -e $a "$@"; }
enc_agejs() { a=$1; shift; agejs encrypt $a "$@"; }
dec_railgen() { "$agetool" decrypt -i "$2"; }
dec_age() { age -d -i "$2"; }
dec_agejs() { agejs decrypt $1 -i "$2"; }

# interop FROM TO: every size, armored or not, one and three recipients.
interop() {
	from=$1 to=$2
	for n in 0 1 65535 65536 65537 200000; do
		for a in "" -a; do
			for r in 1 3; do
				interop_one "$from" "$to" "$n" "$a" "$r"
			done
		done
	done
}

# One recipient: the decrypter's key.  Three: A, J, G, and the decrypter
# holds a key that is not first, so a later stanza must open.
interop_one() {
	from=$1 to=$2 n=$3 a=$4 r=$5
	case $to in
	age)		key=G ;;
	agejs)		key=$( [ "$r" = 1 ] && echo G || echo J) ;;
	railgen)	key=$( [ "$from" = age ] && echo A || echo J) ;;
	esac
	[ "$r" = 3 ] && [ "$to" = railgen ] && key=G
	if [ "$r" = 1 ]; then
		set -- -r "$(cat "$tmp/$key.pub")"
	else
		set -- -r "$(cat "$tmp/A.pub")" -r "$(cat "$tmp/J.pub")" \
		    -r "$(cat "$tmp/G.pub")"
	fi
	form=binary
	[ -n "$a" ] && form=armored
	name=interop-$from-to-$to-$n-$form-${r}r
	if ! "enc_$from" "$a" "$@" < "$tmp/p$n" > "$tmp/c" 2> "$tmp/e"; then
		fail "$name" "encrypt: $(cat "$tmp/e")"
	elif [ -n "$a" ] && ! head -n 1 "$tmp/c" |
	    grep -qx -- '-----BEGIN AGE ENCRYPTED FILE-----'; then
		fail "$name" "not armored"
	elif [ -z "$a" ] && ! head -n 1 "$tmp/c" | grep -qx age-encryption.org/v1
	then
		fail "$name" "not a binary age file"
	elif ! "dec_$to" "$a" "$tmp/$key.key" < "$tmp/c" > "$tmp/d" \
	    2> "$tmp/e"; then
		fail "$name" "decrypt: $(cat "$tmp/e")"
	elif ! cmp -s "$tmp/d" "$tmp/p$n"; then
		fail "$name" "plaintext differs"
	else
		ok "$name"
	fi
}

# ---- scrypt (passphrase) --------------------------------------------
# age reads a passphrase only from a terminal: script(1) provides one.
age_tty() {	# age_tty PASSFILE TIMES CMD...
	pf=$1 times=$2; shift 2
	(
		i=0
		while [ "$i" -lt "$times" ]; do
			sleep 1
			cat "$pf"
			i=$((i + 1))
		done
	) | script -qec "$*" /dev/null > /dev/null
}

scrypt_interop() {
	printf 'correct horse battery staple\n' > "$tmp/pass"
	p=$tmp/p65537
	check scrypt-railgen-to-agejs sh -c "'$agetool' encrypt -p '$tmp/pass' \
	    -n 10 < '$p' | node '$here/agejs.mjs' '$npm' decrypt \
	    -p '$tmp/pass' | cmp -s - '$p'"
	check scrypt-agejs-to-railgen sh -c "node '$here/agejs.mjs' '$npm' \
	    encrypt -a -p '$tmp/pass' -n 10 < '$p' | '$agetool' decrypt \
	    -p '$tmp/pass' | cmp -s - '$p'"
	"$agetool" encrypt -a -p "$tmp/pass" -n 12 -o "$tmp/s1" "$p"
	rm -f "$tmp/s1.out"
	age_tty "$tmp/pass" 1 age -d -o "$tmp/s1.out" "$tmp/s1"
	check scrypt-railgen-to-age cmp -s "$tmp/s1.out" "$p"
	rm -f "$tmp/s2"
	age_tty "$tmp/pass" 2 age -p -o "$tmp/s2" "$p"
	check scrypt-age-to-railgen sh -c "'$agetool' decrypt -p '$tmp/pass' \
	    '$tmp/s2' | cmp -s - '$p'"
	check scrypt-refuses-recipients sh -c "! '$agetool' encrypt -p \
	    '$tmp/pass' -r '$(cat "$tmp/A.pub")' < '$p' > /dev/null 2>&1"
}

# ---- the SOPS entry points (age_wrap, age_unwrap) --------------------
wrap_interop() {
	head -c 32 /dev/urandom > "$tmp/dk"
	"$agetool" wrap -r "$(cat "$tmp/A.pub")" -r "$(cat "$tmp/G.pub")" \
	    < "$tmp/dk" > "$tmp/w"
	check wrap-decrypts-with-age sh -c "age -d -i '$tmp/A.key' '$tmp/w' |
	    cmp -s - '$tmp/dk'"
	check wrap-decrypts-with-agejs sh -c "node '$here/agejs.mjs' '$npm' \
	    decrypt -a -i '$tmp/G.key' < '$tmp/w' | cmp -s - '$tmp/dk'"
	# age -a writes 64-column lines and a final LF: so must wrap.  With
	# one recipient both files have the same size and line lengths.
	"$agetool" wrap -r "$(cat "$tmp/A.pub")" < "$tmp/dk" > "$tmp/w1"
	age -e -a -r "$(cat "$tmp/A.pub")" < "$tmp/dk" > "$tmp/w2"
	awk '{ print length }' "$tmp/w1" > "$tmp/w1.cols"
	awk '{ print length }' "$tmp/w2" > "$tmp/w2.cols"
	if cmp -s "$tmp/w1.cols" "$tmp/w2.cols" &&
	    [ "$(wc -c < "$tmp/w1")" -eq "$(wc -c < "$tmp/w2")" ] &&
	    [ "$(tail -c 1 "$tmp/w1" | od -An -c | tr -d ' ')" = '\n' ]; then
		ok wrap-armor-layout
	else
		fail wrap-armor-layout "armor differs from age -a's layout"
	fi
	check unwrap-age-output sh -c "'$agetool' unwrap -i '$tmp/A.key' \
	    < '$tmp/w2' | cmp -s - '$tmp/dk'"
	check unwrap-no-match sh -c "'$agetool' unwrap -i '$tmp/J.key' \
	    < '$tmp/w2' 2>&1 >/dev/null | grep -q 'no match'"
}

# ---- data keys in real sops files (../shared/sops-fixtures) ---------
# Each: file, identity file, the data key sops wrapped (from the
# fixtures' README).  Every age block must unwrap to the data key, or be
# for a recipient we hold no identity of ("no match").
sops_fixtures() {
	need_shared sops-data-keys || return
	while read -r f k dk; do
		name=sops-data-key-$(echo "$f" | tr '/.' '--')
		rm -rf "$tmp/se"
		python3 "$here/sops_enc.py" "$SHARED/sops-fixtures/$f" \
		    "$tmp/se" > /dev/null || { fail "$name" "no enc"; continue; }
		hits=0 why=
		for e in "$tmp/se"/enc.*; do
			if "$agetool" unwrap -i "$SHARED/sops-fixtures/$k" \
			    < "$e" > "$tmp/dk.out" 2> "$tmp/e"; then
				got=$(od -An -tx1 -v "$tmp/dk.out" | tr -d ' \n')
				[ "$got" = "$dk" ] && hits=$((hits + 1)) ||
				    why="wrong data key"
			elif ! grep -q 'no match' "$tmp/e"; then
				why=$(cat "$tmp/e")
			fi
		done
		if [ "$hits" -gt 0 ] && [ -z "$why" ]; then
			ok "$name"
		else
			fail "$name" "${why:-no block unwrapped}"
		fi
	done <<'TABLE'
getsops-sops/example.yaml getsops-sops/keys.txt 9ac088cf7029981341457c39dd56dde54600dfbce9b5ede23aa65c418900ab67
getsops-sops/example.json getsops-sops/keys.txt 82ee047aa51fbcf65882bdeb1996b6d729d457364a9eba6b41766cc742415fdb
helm-secrets/secrets.age.yaml helm-secrets/key.txt 6798cb778841891c459dde148789260418757698787d1fc2fc85bd23e1d98d6e
sops-age-npm/secret.enc.yaml sops-age-npm/key.txt 81d247290bee0b25484e76101e727f63fc984896953fe4888864f49db529e73a
sops-age-npm/secret.enc.json sops-age-npm/key.txt 3179b6f3028d542104273fb29380218e5264913b9daf4551a6a2262cee3de70a
p5-file-sops/non-ascii-keys.sops.yaml p5-file-sops/non-ascii-keys.key.txt 9e803734097cfd3ca3ac17d0c779ba8f975d738cd75290db39f5f61b93c292bb
p5-file-sops/plain-inf.sops.yaml p5-file-sops/inf.key.txt 412ec8aeb27d9767f4f85ea85e74b13246e246f8cbe66c005abe91b1c02a0e46
p5-file-sops/quoted-inf.sops.yaml p5-file-sops/inf.key.txt 8b2ba27a42ba88705c0f180d27b49e46d95a60a2385b055c7d0f5063bbe0b409
p5-file-sops/merge-key.sops.yaml p5-file-sops/merge-key.key.txt 3edd09dc2d2491db36bf0d528ea24836764fdce4fef72677f4fd9ac21871c193
TABLE
}

# ---- corruption: every implementation must refuse -------------------
negatives() {
	"$agetool" encrypt -r "$(cat "$tmp/A.pub")" -o "$tmp/n" "$tmp/p65537"
	size=$(wc -c < "$tmp/n")
	for spot in header:40 mac:150 nonce:180 payload:1000 tag:$((size - 1))
	do
		what=${spot%%:*} at=${spot#*:}
		python3 -c 'import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[int(sys.argv[2])] ^= 1
open(sys.argv[3], "wb").write(b)' "$tmp/n" "$at" "$tmp/nf"
		if age -d -i "$tmp/A.key" "$tmp/nf" > /dev/null 2>&1; then
			fail "flip-$what" "age accepted it"
		elif "$agetool" decrypt -i "$tmp/A.key" "$tmp/nf" \
		    > /dev/null 2>&1; then
			fail "flip-$what" "railgen accepted it"
		else
			ok "flip-$what"
		fi
	done
	for cut in 16 $((size - 65536 - 100)) $((size - 1)); do
		head -c $((size - cut)) "$tmp/n" > "$tmp/nt"
		if age -d -i "$tmp/A.key" "$tmp/nt" > /dev/null 2>&1 ||
		    "$agetool" decrypt -i "$tmp/A.key" "$tmp/nt" \
		    > /dev/null 2>&1; then
			fail "truncate-$cut" "accepted"
		else
			ok "truncate-$cut"
		fi
	done
}

# ---- railgen keygen -------------------------------------------------
keygen() {
	g=$tmp/G.key
	check keygen-mode-0600 test "$(stat -c %a "$g")" = 600
	check keygen-public-key-on-stderr test "$(cat "$tmp/G.err")" = \
	    "Public key: $(cat "$tmp/G.pub")"
	if [ "$(wc -l < "$g")" -eq 3 ] &&
	    sed -n 1p "$g" | grep -Eqx '# created: [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})' &&
	    [ "$(sed -n 2p "$g")" = "# public key: $(cat "$tmp/G.pub")" ] &&
	    sed -n 3p "$g" | grep -Eqx 'AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}'
	then
		ok keygen-format
	else
		fail keygen-format "$(sed 3d "$g")"
	fi
	cp "$g" "$tmp/G.before"
	"$RAILGEN" keygen -o "$g" 2> "$tmp/e"
	st=$?
	if [ "$st" -eq 1 ] && cmp -s "$g" "$tmp/G.before" &&
	    grep -q 'refusing to overwrite' "$tmp/e"; then
		ok keygen-refuses-overwrite
	else
		fail keygen-refuses-overwrite "exit $st: $(cat "$tmp/e")"
	fi
	"$RAILGEN" keygen > "$tmp/K.out" 2> "$tmp/K.err"
	if age-keygen -y "$tmp/K.out" > "$tmp/K.pub" 2>/dev/null &&
	    [ "$(cat "$tmp/K.err")" = "Public key: $(cat "$tmp/K.pub")" ]; then
		ok keygen-stdout
	else
		fail keygen-stdout "$(cat "$tmp/K.err")"
	fi
	"$RAILGEN" keygen -o "$tmp/nodir/x" 2>/dev/null
	check keygen-io-error-exit-3 test $? -eq 3
	"$RAILGEN" keygen -o 2>/dev/null
	check keygen-usage-exit-2 test $? -eq 2
	keygen_y
}

# keygen -y against age-keygen -y on files both must accept or refuse.
keygen_y() {
	a=$(sed -n 3p "$tmp/A.key") g=$(sed -n 3p "$tmp/G.key")
	printf '# one\n\n%s\r\n#two\n%s' "$a" "$g" > "$tmp/y.ok"
	if "$RAILGEN" keygen -y "$tmp/y.ok" > "$tmp/y.ours" &&
	    age-keygen -y "$tmp/y.ok" > "$tmp/y.theirs" &&
	    cmp -s "$tmp/y.ours" "$tmp/y.theirs" &&
	    [ "$(wc -l < "$tmp/y.ours")" -eq 2 ]; then
		ok keygen-y-several-keys
	else
		fail keygen-y-several-keys "$(cat "$tmp/y.ours")"
	fi
	lower=$(printf '%s' "$a" | tr 'A-Z' 'a-z')
	i=0
	for bad in "$a\n \n" "$a\n # x\n" " $a\n" "$a \n" "$a\t\n" \
	    "$lower\n" "$(cat "$tmp/A.pub")\n" "# only a comment\n" "" \
	    "${a%?}q\n"; do
		i=$((i + 1))
		printf "$bad" > "$tmp/y.bad"
		"$RAILGEN" keygen -y "$tmp/y.bad" > /dev/null 2> "$tmp/e"
		st=$?
		if age-keygen -y "$tmp/y.bad" > /dev/null 2>&1; then
			fail "keygen-y-rejects-$i" "age-keygen accepts it"
		elif [ "$st" -ne 1 ]; then
			fail "keygen-y-rejects-$i" "exit $st"
		elif grep -q "${a#AGE-SECRET-KEY-1}" "$tmp/e" ||
		    grep -qi "${lower#age-secret-key-1}" "$tmp/e"; then
			fail "keygen-y-rejects-$i" "secret key in the message"
		else
			ok "keygen-y-rejects-$i"
		fi
	done
}

# ---- run ------------------------------------------------------------
vectors
vectors_shared
for n in 0 1 65535 65536 65537 200000; do
	head -c "$n" /dev/urandom > "$tmp/p$n"
done
if ! make_keys; then
	fail keys "could not make the test keys"
	done_testing
fi
keys_cross
for pair in railgen:age railgen:agejs age:railgen agejs:railgen; do
	interop "${pair%%:*}" "${pair#*:}"
done
scrypt_interop
wrap_interop
sops_fixtures
negatives
keygen
done_testing
