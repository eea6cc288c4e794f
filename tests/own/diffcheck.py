#!/usr/bin/env python3
"""diffcheck.py: railgen's diff writer against GNU diff and GNU patch.

    diffcheck.py DIFFTOOL WORKDIR SEED COUNT

For COUNT random pairs of texts (seeded, so every run checks the same
pairs), the diff DIFFTOOL prints must turn the first text into the
second under GNU patch, and must delete and insert exactly as many lines
as `diff --minimal` does: both are shortest edit scripts.  Prints the
first failing pair and exits 1.
"""
import os
import random
import subprocess
import sys


def counts(diff):
    minus = plus = 0
    for line in diff.split(b"\n"):
        if line.startswith(b"---") or line.startswith(b"+++"):
            continue
        if line.startswith(b"-"):
            minus += 1
        elif line.startswith(b"+"):
            plus += 1
    return minus, plus


def pair(rng):
    alpha = "abcdefghijklmnopqrst"[: rng.choice([2, 3, 5, 20])]
    a = [rng.choice(alpha) for _ in range(rng.randint(0, 60))]
    b = list(a)
    for _ in range(rng.randint(0, 10)):
        op = rng.random()
        if op < 0.4 and b:
            del b[rng.randrange(len(b))]
        elif op < 0.8:
            b.insert(rng.randint(0, len(b)), rng.choice(alpha))
        elif b:
            b[rng.randrange(len(b))] = "X"
    if rng.random() < 0.3:
        b = [rng.choice(alpha) for _ in range(rng.randint(0, 40))]
    ta = "".join(x + "\n" for x in a)
    tb = "".join(x + "\n" for x in b)
    if ta and rng.random() < 0.25:
        ta = ta[:-1]
    if tb and rng.random() < 0.25:
        tb = tb[:-1]
    return ta, tb


def main():
    tool, work, seed, count = sys.argv[1], sys.argv[2], sys.argv[3], \
        int(sys.argv[4])
    rng = random.Random(seed)
    fa, fb, fc = (os.path.join(work, n) for n in ("a", "b", "c"))
    for i in range(count):
        ta, tb = pair(rng)
        ctx = str(rng.choice([0, 1, 3, 5]))
        for path, text in ((fa, ta), (fb, tb), (fc, ta)):
            with open(path, "w") as f:
                f.write(text)
        mine = subprocess.run([tool, fa, fb, ctx],
                              capture_output=True).stdout
        gnu = subprocess.run(["diff", "--minimal", "-U" + ctx, fa, fb],
                             capture_output=True).stdout
        if ta == tb:
            good = mine == b""
        else:
            r = subprocess.run(["patch", "-s", "--no-backup-if-mismatch",
                                fc], input=mine, capture_output=True)
            with open(fc) as f:
                good = r.returncode == 0 and f.read() == tb
        good = good and counts(mine) == counts(gnu)
        if not good:
            print("pair %d, context %s:\n%r\n%r\n%s" %
                  (i, ctx, ta, tb, mine.decode(errors="replace")))
            return 1
    return 0


sys.exit(main())
