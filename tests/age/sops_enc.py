#!/usr/bin/env python3
"""sops_enc.py: writes the age-wrapped data keys of a SOPS file to files.

    python3 sops_enc.py FILE OUTDIR   -> OUTDIR/enc.1, OUTDIR/enc.2, ...

JSON files are read with the json module; YAML files by finding each
"enc: |" literal block (sops writes the armored text that way), so no
YAML library is needed.  Prints the number of blocks written.
"""
import json
import os
import re
import sys


def yaml_blocks(text):
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        m = re.match(r"^(\s*)(- )?enc: \|\s*$", line)
        if not m:
            continue
        key_col = len(m.group(1)) + len(m.group(2) or "")
        body = []
        for nxt in lines[i + 1:]:
            if nxt.strip() and len(nxt) - len(nxt.lstrip(" ")) <= key_col:
                break
            body.append(nxt)
        while body and not body[-1].strip():
            body.pop()
        indent = min(len(b) - len(b.lstrip(" ")) for b in body if b.strip())
        out.append("\n".join(b[indent:] for b in body) + "\n")
    return out


def main():
    path, outdir = sys.argv[1], sys.argv[2]
    text = open(path, encoding="utf-8").read()
    if path.endswith(".json"):
        blocks = [a["enc"] for a in json.loads(text)["sops"]["age"]]
    else:
        blocks = yaml_blocks(text)
    os.makedirs(outdir, exist_ok=True)
    for n, b in enumerate(blocks, 1):
        with open(os.path.join(outdir, "enc.%d" % n), "w") as f:
            f.write(b)
    print(len(blocks))


main()
