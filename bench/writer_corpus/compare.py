"""Compare sohoa ingest --json output (out.jsonl) to truth/*.json."""

import json
import os
import re
import sys
import unicodedata

ROOT = os.environ.get("WRITER_CORPUS_OUT", "/tmp/sohoa-writer-corpus")
with open(os.path.join(ROOT, sys.argv[1] if len(sys.argv) > 1 else "out.jsonl")) as fh:
    out = [json.loads(line) for line in fh if line.strip()]
by_file = {os.path.basename(o["source"]): o for o in out}


def n(s):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s or "")).strip()


def lenient(s):
    s = n(s).casefold()
    for a, b in (("uỷ", "ủy"), ("hoà", "hòa"), ("thuỷ", "thủy")):
        s = s.replace(a, b)
    return s


FIELDS = [
    "type_name",
    "code_number",
    "code_notation",
    "issued_date",
    "organ_name",
    "subject",
    "signer_title",
    "signer_chain",
    "signer_name",
    "citizen_ids",
]
ok = {f: 0 for f in FIELDS}
misses = []
truths = sorted(os.listdir(os.path.join(ROOT, "truth")))
for tf in truths:
    with open(os.path.join(ROOT, "truth", tf)) as fh:
        t = json.load(fh)
    o = by_file.get(t["file"])
    if o is None:
        misses.append((t["file"], "ALL", "document", "missing"))
        continue
    title = n(o.get("signer_position"))
    authority = n(o.get("extra", {}).get("signer_authority"))
    got = dict(o)
    got["signer_title"] = title
    got["signer_chain"] = " / ".join(x for x in (authority, title) if x)
    for f in FIELDS:
        g = got.get(f)
        if f == "organ_name":
            good = lenient(g) in {lenient(x) for x in t["organ"]}
            exp = " | ".join(t["organ"])
        elif f == "citizen_ids":
            good = sorted(g or []) == sorted(t["citizen_ids"])
            exp = t["citizen_ids"]
        else:
            exp = t[f]
            good = n(g) == n(exp)
        if good:
            ok[f] += 1
        else:
            misses.append((t["file"], f, exp, g))
N = len(truths)
for f in FIELDS:
    print(f"{f:14s} {ok[f]:2d}/{N}")
tot = sum(ok.values())
print(f"{'ALL':14s} {tot}/{N * len(FIELDS)}")
print()
for m in misses:
    print(f"MISS {m[0]:8s} {m[1]:13s} expected={m[2]!r} got={m[3]!r}")
