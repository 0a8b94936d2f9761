#!/usr/bin/env python3
"""Self-harm detection on the Reddit Mental Health Dataset, read two ways.

The forum label is not a disclosure label: posts in r/depression or r/bpd often disclose suicidal
thoughts too, and count as false positives against "subreddit:suicidewatch". This script reports
precision and recall against all other forums, against the non-mental-health forums only, and
lists per forum how often tact reports an asserted self-harm disclosure.

    cargo run --release -p tact -- analyze --lang en -f ../shared/eval/rmhd/dev.jsonl > target/eval/rmhd.analysis.jsonl
    python3 scripts/eval/urgent_vs_forums.py ../shared/eval/rmhd/dev.jsonl target/eval/rmhd.analysis.jsonl
"""
import collections, json, sys

MENTAL_HEALTH = {"EDAnonymous", "ForeverAlone", "addiction", "adhd", "alcoholism", "anxiety", "autism",
                 "bipolarreddit", "bpd", "depression", "healthanxiety", "lonely", "mentalhealth", "ptsd",
                 "schizophrenia", "socialanxiety", "suicidewatch"}

def main(gold_path, analysis_path):
    gold = [json.loads(l) for l in open(gold_path, encoding="utf-8")]
    pred = [json.loads(l) for l in open(analysis_path, encoding="utf-8")]
    assert len(gold) == len(pred), "one analysis line per message"
    per_forum = collections.Counter()
    sizes = collections.Counter()
    for g, p in zip(gold, pred):
        forum = g["labels"][0].split(":", 1)[1]
        sizes[forum] += 1
        if any(s["category"] == "disclosure.self_harm" and s["modality"] == "asserted"
               and s.get("subject") != "other" for s in p["signals"]):
            per_forum[forum] += 1
    tp = per_forum["suicidewatch"]
    recall = tp / sizes["suicidewatch"]
    for name, negatives in [("all other forums", set(sizes) - {"suicidewatch"}),
                            ("non-mental-health forums", set(sizes) - MENTAL_HEALTH)]:
        fp = sum(per_forum[f] for f in negatives)
        print(f"suicidewatch vs {name:<26} P {tp / (tp + fp):.3f}  R {recall:.3f}  (tp {tp}, fp {fp})")
    print("\nshare of posts with an asserted self-harm disclosure, per forum:")
    for forum in sorted(sizes, key=lambda f: -per_forum[f] / sizes[f]):
        print(f"  {forum:<20} {per_forum[forum] / sizes[forum]:.3f}  ({per_forum[forum]}/{sizes[forum]})")

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
