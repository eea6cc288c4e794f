"""secrets.py: the values a SOPS file holds encrypted, in clear.

    python3 secrets.py ENC.json DEC.json

ENC.json is the SOPS file and DEC.json the same file decrypted, both as
sopstool plainjson prints them.  Walking the two side by side, every
string that is ENC[...] in the first is a secret; it is printed, one a
line, with its base64 forms and, for a URL, the password in it, so that
grep -F -f finds any of them.  Short values are left out: they would
match by chance.
"""
import base64
import json
import sys
import urllib.parse


def walk(enc, dec, out):
    if isinstance(enc, dict) and isinstance(dec, dict):
        for k, v in enc.items():
            if k != "sops" and k in dec:
                walk(v, dec[k], out)
    elif isinstance(enc, list) and isinstance(dec, list):
        for e, d in zip(enc, dec):
            walk(e, d, out)
    elif isinstance(enc, str) and enc.startswith("ENC["):
        out.add(str(dec) if not isinstance(dec, str) else dec)


def forms(value):
    yield value
    raw = value.encode()
    yield base64.b64encode(raw).decode()
    yield base64.urlsafe_b64encode(raw).decode()
    if "://" in value:
        password = urllib.parse.urlsplit(value).password
        if password:
            yield password
            yield urllib.parse.unquote(password)


def main():
    with open(sys.argv[1]) as f:
        enc = json.load(f)
    with open(sys.argv[2]) as f:
        dec = json.load(f)
    found = set()
    walk(enc, dec, found)
    for value in sorted(found):
        for form in forms(value):
            if len(form) >= 8 and "\n" not in form:
                print(form)


main()
