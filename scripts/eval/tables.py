#!/usr/bin/env python3
"""Markdown tables for EVALUATION.md from the JSON reports of `tact eval --json`.

    for s in goemotions isear brighter xed maia-dqe xlmt-sentiment dreaddit rmhd olid germeval2018 mlma; do
      cargo run --release -p tact -- eval ../shared/eval/$s/dev.jsonl --given-lang --json target/eval/$s.json
    done
    python3 scripts/eval/tables.py target/eval goemotions isear brighter ...

Prints one table per label (P, R, F1 with the tact categories it maps to), the macro F1 per set,
and one table per language for the multilingual sets.
"""
import json, pathlib, sys

def main(folder, sets):
    reports = [json.loads((pathlib.Path(folder) / f"{s}.json").read_text()) for s in sets]
    print("| set | label | tact categories | P | R | F1 |\n|---|---|---|---|---|---|")
    for r in reports:
        for label, m in r["labels"].items():
            cats = " · ".join(r["mapping"].get(label, []))
            print(f"| {r['set']} | {label} | {cats} | {m['precision']:.2f} | {m['recall']:.2f} | {m['f1']:.2f} |")
    print("\n| set | messages | macro F1 (mapped labels) | messages/s |\n|---|---|---|---|")
    for r in reports:
        f1s = [m["f1"] for m in r["labels"].values()]
        print(f"| {r['set']} | {r['messages']} | {sum(f1s) / len(f1s):.3f} | {r['messages_per_second']:,.0f} |")
    print("\n| set | language | label | P | R | F1 |\n|---|---|---|---|---|---|")
    for r in reports:
        if len(r.get("by_language", {})) < 2:
            continue
        for lang, labels in sorted(r["by_language"].items()):
            for label, m in labels.items():
                print(f"| {r['set']} | {lang} | {label} | {m['precision']:.2f} | {m['recall']:.2f} | {m['f1']:.2f} |")

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
