#!/usr/bin/env python3
"""Builds the coaching benchmark corpus (crates/core/benches/data/drafts.jsonl): drafts of about
1,000 bytes per language, each made of the hand-written drafts of that language's
coach_cases.toml joined in file order, so the text is real worker language.

    python3 scripts/bench/make_drafts.py > crates/core/benches/data/drafts.jsonl
"""
import json, pathlib, tomllib

root = pathlib.Path(__file__).resolve().parents[2] / "crates/resources/data"
for path in sorted(root.glob("*/coach_cases.toml")):
    lang = path.parent.name
    drafts = [c["draft"] for c in tomllib.loads(path.read_text(encoding="utf-8")).get("case", [])]
    current, made = "", 0
    for d in drafts:
        if len((current + " " + d).encode()) > 1050:
            if len(current.encode()) >= 900:
                print(json.dumps({"lang": lang, "text": current}, ensure_ascii=False))
                made += 1
                if made == 3:
                    break
            current = d
        else:
            current = (current + " " + d).strip()
