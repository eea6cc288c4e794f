#!/usr/bin/env python3
"""tool.py: the fmt suite's view of .rail text, written apart from railgen.

  tool.py mangle FILE OUT [FILE OUT]...
                          writes each FILE to its OUT laid out badly but
                          with the same meaning: odd indentation and spacing,
                          quoted arguments, CRLF, doubled and extra blank
                          lines, a block's first statement on its '{'
                          line, no final newline; railgen fmt must undo it
  tool.py verify DIR...   for each DIR, compares the file DIR/a/NAME with
                          DIR/b/NAME (NAME is in DIR/name) and appends
                          what differs to DIR/why:
                          - their comments: the same texts (trailing
                            blanks aside), in the same order, each on a
                            line of its own in both or after a token in
                            both;
                          - their runs of railgen --dump-model, DIR/a.*
                            and DIR/b.*: the .status, the diagnostics
                            (.err) and the model (.out, when the status is
                            0), all without the source positions, which
                            layout moves

One process does every file: the suite runs it twice, not once per file.

This reads the language from docs/language.md, not from railgen's lexer,
so the two are checked against each other.
"""
import difflib
import json
import re
import sys

WORDCH = re.compile(rb"[A-Za-z0-9_./:@%+~*-]+")


def tokens(line):
    """The tokens of one line: (kind, bytes), kind in word, string,
    punct, comment.  Raises ValueError on what the language refuses."""
    out, i = [], 0
    while i < len(line):
        c = line[i:i + 1]
        if c in (b" ", b"\t", b"\r"):
            i += 1
        elif c == b"#":
            out.append(("comment", line[i:].rstrip(b" \t\r")))
            break
        elif c == b'"':
            j = i + 1
            while j < len(line) and line[j:j + 1] != b'"':
                j += 2 if line[j:j + 1] == b"\\" else 1
            if j >= len(line):
                raise ValueError("unterminated string")
            out.append(("string", line[i:j + 1]))
            i = j + 1
        elif c in b"{}=(),":
            out.append(("punct", c))
            i += 1
        else:
            m = WORDCH.match(line, i)
            if m is None:
                raise ValueError("stray byte")
            out.append(("word", m.group(0)))
            i = m.end()
    return out


def comments_of(path):
    out = []
    with open(path, "rb") as f:
        for line in f.read().split(b"\n"):
            toks = tokens(line)
            if toks and toks[-1][0] == "comment":
                out.append(("eol" if len(toks) > 1 else "own",
                            toks[-1][1]))
    return out


def comments(a, b):
    """Why the comments of files a and b differ, or None."""
    ca, cb = comments_of(a), comments_of(b)
    if len(ca) != len(cb):
        return "%d comments, then %d" % (len(ca), len(cb))
    for x, y in zip(ca, cb):
        if x != y:
            return "comment %r became %r" % (x, y)
    return None


def strip_positions(v):
    if isinstance(v, dict):
        return {k: strip_positions(x) for k, x in v.items()
                if k != "pos" and not k.endswith("_pos")}
    if isinstance(v, list):
        return [strip_positions(x) for x in v]
    return v


GUTTER = re.compile(r"^ *([0-9]+ )?\| ")
LOCATION = re.compile(r"^([^:]+):[0-9]+:[0-9]+: ")


def run_of(stem):
    """What a run printed, without what layout moves."""
    with open(stem + ".status") as f:
        status = f.read().strip()
    with open(stem + ".err", encoding="utf-8", errors="replace") as f:
        err = [LOCATION.sub(r"\1: ", line) for line in f.read().split("\n")
               if not GUTTER.match(line)]
    out = None
    if status == "0":
        with open(stem + ".out") as f:
            out = strip_positions(json.load(f))
    return status, err, out


def model(a, b):
    """Why two runs of --dump-model differ, or None."""
    ra, rb = run_of(a), run_of(b)
    if ra[0] != rb[0]:
        return "exit status %s, then %s" % (ra[0], rb[0])
    if ra[1] != rb[1]:
        return "diagnostics differ:\n%s\n---\n%s" % (
            "\n".join(ra[1]), "\n".join(rb[1]))
    if ra[2] != rb[2]:
        return "models differ:\n%s" % "\n".join(difflib.unified_diff(
            json.dumps(ra[2], indent=1, sort_keys=True).split("\n"),
            json.dumps(rb[2], indent=1, sort_keys=True).split("\n"),
            lineterm="", n=2))
    return None


def verify(dirs):
    for d in dirs:
        with open(d + "/name") as f:
            name = f.read().strip()
        whys = [comments(d + "/a/" + name, d + "/b/" + name),
                model(d + "/a", d + "/b")]
        whys = [w for w in whys if w is not None]
        if whys:
            with open(d + "/why", "a") as f:
                f.write("\n".join(whys) + "\n")


def render(toks, n):
    """Tokens joined with blanks that vary with the line number n; a
    word that is neither a key nor the name of a call is quoted."""
    out = b""
    for k, (kind, text) in enumerate(toks):
        nxt = toks[k + 1][1] if k + 1 < len(toks) else b""
        key = k == 0 or toks[k - 1] == ("punct", b"{")
        if kind == "word" and not key and nxt != b"(":
            text = b'"' + text + b'"'
        if k > 0:
            out += [b" ", b"  ", b"\t", b" \t "][(n + k) % 4]
        out += text
    return out


def mangle(path, dest):
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    toks = [tokens(line) for line in lines]
    out, n = [b"", b"  "], 0
    while n < len(lines):
        t = toks[n]
        nxt = toks[n + 1] if n + 1 < len(lines) else None
        opens = t and t[-1] == ("punct", b"{")
        if opens and nxt and nxt[0] == ("punct", b"}"):
            # an empty block on one line: "host h {}"
            t = t + nxt
            n += 1
        elif opens and nxt and nxt[0][0] == "word" and n % 2 == 0:
            # the first statement of the block on the '{' line
            t = t + nxt
            n += 1
        indent = [b"", b" ", b"\t\t", b"   \t"][n % 4]
        line = indent + render(t, n) if t else b" " * (n % 3)
        out.append(line + (b" " if n % 5 == 0 else b""))
        code = [x for x in t if x[0] != "comment"]
        if not t or (code and code[-1] == ("punct", b"{")):
            # blank lines doubled, and one after each '{'
            out.append(b"\t")
        n += 1
    text = b"".join(x + (b"\r\n" if k % 2 else b"\n")
                    for k, x in enumerate(out))
    with open(dest, "wb") as f:
        f.write(text.rstrip(b"\r\n"))


def main():
    if len(sys.argv) % 2 == 0 and sys.argv[1:2] == ["mangle"]:
        for k in range(2, len(sys.argv), 2):
            mangle(sys.argv[k], sys.argv[k + 1])
    elif sys.argv[1:2] == ["verify"]:
        verify(sys.argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
