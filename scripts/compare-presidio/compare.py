#!/usr/bin/env python3
"""Print tact vs Presidio side by side from two `eval --json` result files.

    python3 compare.py presidio.json tact.json

The files are told apart by their "tool" field ("presidio" vs anything else, normally "tact");
if that is ambiguous, the first file is taken as Presidio's and the second as tact's.
Per label (all languages), then per language: F1 of each tool in `exact` and `overlap` mode;
a "<" marks a mode in which tact's F1 is below Presidio's ("?" if tact's file lacks a label that
has gold spans), and such labels are listed at the end.
Then throughput of each tool and the ratio tact/presidio. Standard library only.
"""
import argparse
import json
import sys

MODES = ("exact", "overlap")
EPS = 1e-9


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"{path}: {e}")
    for key in ("messages", "labels", "by_language"):
        if key not in d:
            sys.exit(f"{path}: not an eval result (no {key!r})")
    return d


def pick(a, b, pa, pb):
    ta, tb = str(a.get("tool", "")).lower(), str(b.get("tool", "")).lower()
    if ta == "presidio" and tb != "presidio":
        return a, b
    if tb == "presidio" and ta != "presidio":
        return b, a
    print(f"warning: cannot tell the files apart by 'tool' ({ta!r}, {tb!r}); "
          f"taking {pa} as Presidio and {pb} as tact", file=sys.stderr)
    return a, b


def metric(table, label, mode, key="f1"):
    try:
        return table[label][mode][key]
    except (KeyError, TypeError):
        return None


def support(table, label):
    try:
        e = table[label]["exact"]
        return e["tp"] + e["fn"]
    except (KeyError, TypeError):
        return None


def fps(table, label, mode):
    try:
        return table[label][mode]["fp"]
    except (KeyError, TypeError):
        return None


def f(x, width=6):
    return f"{x:>{width}.3f}" if isinstance(x, (int, float)) else f"{'-':>{width}}"


def compare_table(title, tact, pres, below, where):
    labels = sorted(set(tact) | set(pres))
    lines = [title,
             f"  {'':<15} {'':>7} | {'exact F1':^17} | {'overlap F1':^17} | {'FP (overlap)':>13}",
             f"  {'label':<15} {'support':>7} | {'tact':>6} {'presidio':>8}   | "
             f"{'tact':>6} {'presidio':>8}   | {'tact/presidio':>13}"]
    shown = 0
    for label in labels:
        st, sp = support(tact, label), support(pres, label)
        s = st if st is not None else sp
        fp_t, fp_p = fps(tact, label, "overlap"), fps(pres, label, "overlap")
        if not s and not fp_t and not fp_p:
            continue  # nothing to compare: no gold span, no false positive on either side
        cells, worse = [], []
        for mode in MODES:
            t, p = metric(tact, label, mode), metric(pres, label, mode)
            mark = " "
            if s and t is not None and p is not None and t < p - EPS:
                mark = "<"
                worse.append(mode)
            elif s and t is None and p is not None:
                mark = "?"
                worse.append(f"{mode}: label missing from tact's file")
            cells.append(f"{f(t)} {f(p, 8)} {mark}")
        sup = str(s) if s is not None else "-"
        if st is not None and sp is not None and st != sp:
            sup = f"{st}≠{sp}"
        fp_cell = f"{fp_t if fp_t is not None else '-'}/{fp_p if fp_p is not None else '-'}"
        note = "   (no gold span)" if not s else ""
        lines.append(f"  {label:<15} {sup:>7} | {cells[0]} | {cells[1]} | {fp_cell:>13}{note}")
        shown += 1
        if worse:
            below.append((where, label, worse))
    if not shown:
        lines.append("  (nothing to compare)")
    return "\n".join(lines)


def rate(d, key):
    v = d.get(key)
    return float(v) if isinstance(v, (int, float)) else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("a", help="result JSON (presidio or tact)")
    ap.add_argument("b", help="result JSON (the other one)")
    args = ap.parse_args()
    pres, tact = pick(load(args.a), load(args.b), args.a, args.b)

    print(f"tact:     {tact.get('file', '?')} ({tact.get('messages')} messages)")
    print(f"presidio: {pres.get('file', '?')} ({pres.get('messages')} messages)")
    if tact.get("messages") != pres.get("messages"):
        print("WARNING: the two runs did not score the same number of messages")
    print("'<' = tact's F1 below Presidio's in that mode ('?' = label missing from tact's file); support = gold spans "
          "('a≠b' if the two files disagree, i.e. they were not run on the same data)\n")

    below = []
    print(compare_table("Per label, all languages", tact["labels"], pres["labels"], below, "all"))
    for lang in sorted(set(tact["by_language"]) | set(pres["by_language"])):
        print()
        print(compare_table(f"Language {lang}", tact["by_language"].get(lang, {}),
                            pres["by_language"].get(lang, {}), below, lang))

    print("\nThroughput")
    rows = []
    for name, d in (("tact", tact), ("presidio", pres)):
        mps, bps = rate(d, "messages_per_second"), rate(d, "bytes_per_second")
        rows.append((mps, bps))
        print(f"  {name:<9} {mps if mps is not None else float('nan'):>12.1f} messages/s  "
              f"{bps / 1e6 if bps is not None else float('nan'):>9.3f} MB/s"
              f"   ({d.get('messages')} messages in {f(rate(d, 'seconds'), 0).strip()} s)")
    (tm, tb), (pm, pb) = rows
    ratio_m = tm / pm if tm is not None and pm else None
    ratio_b = tb / pb if tb is not None and pb else None
    fr = lambda r: f"{r:.2f}x" if r is not None else "n/a"
    print(f"  ratio tact/presidio: {fr(ratio_m)} messages/s, {fr(ratio_b)} bytes/s")

    print()
    if below:
        print("Labels where tact's F1 is below Presidio's:")
        for where, label, modes in below:
            print(f"  {where:<4} {label:<15} ({', '.join(modes)})")
    else:
        print("tact's F1 is not below Presidio's for any label.")


if __name__ == "__main__":
    main()
