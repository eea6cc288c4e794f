#!/bin/sh
# run.sh: `make install` puts the binary and the man page under DESTDIR.
. "$(dirname "$0")/../lib.sh"

unset MAKEFLAGS MFLAGS MAKELEVEL
dest=$(mktemp_dir)

if ! out=$(make -C "$TOP" -s install BUILD="$BUILD" DESTDIR="$dest" \
    PREFIX=/usr 2>&1); then
	fail install "$out"
	done_testing
fi
ok install
check binary-runs "$dest/usr/bin/railgen" --version
check binary-mode test "$(stat -c %a "$dest/usr/bin/railgen")" = 755
check man-page cmp "$TOP/docs/railgen.1" "$dest/usr/share/man/man1/railgen.1"
check man-mode test \
    "$(stat -c %a "$dest/usr/share/man/man1/railgen.1")" = 644
if command -v mandoc >/dev/null 2>&1; then
	check man-renders sh -c "mandoc -T markdown \
	    '$dest/usr/share/man/man1/railgen.1' | grep -q '^# EXIT STATUS'"
else
	fail man-renders "mandoc is not installed (build-aux/deps test)"
fi

make -C "$TOP" -s uninstall DESTDIR="$dest" PREFIX=/usr >/dev/null 2>&1
check uninstall test ! -e "$dest/usr/bin/railgen" -a \
    ! -e "$dest/usr/share/man/man1/railgen.1"

done_testing
