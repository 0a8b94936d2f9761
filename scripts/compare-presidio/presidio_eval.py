#!/usr/bin/env python3
"""Score Microsoft Presidio's AnalyzerEngine on a labelled PII file (JSON lines).

Input lines: {"id", "lang", "text", "spans": [{"start", "end", "label"}], "decoys": [...]}
with start/end as Unicode code-point offsets (= Python str indices).

Output: a table on stdout and, with --json OUT, the same JSON shape as `tact eval --json`:
  {"tool", "file", "messages", "seconds", "messages_per_second", "bytes_per_second",
   "labels": {LABEL: {"exact": {tp, fp, fn, precision, recall, f1}, "overlap": {...}}},
   "by_language": {LANG: {LABEL: {"exact": {...}, "overlap": {...}}}}}

How Presidio is configured (see README.md for the reasons):
  * NLP engine: blank spaCy pipelines (tokenizer only, one per language in the file). No trained
    spaCy model is installable here (they are not on PyPI), and none of the scored entity types
    comes from spaCy NER: they are all produced by Presidio's pattern/checksum recognizers. The
    tokens are only used by the context enhancer; lemmas fall back to the lower-cased token.
  * Recognizers: Presidio's predefined recognizers loaded for every language of the file
    (--lang-mode per-language, the default). Where Presidio ships no recognizer for a
    (entity, language) pair — e.g. CREDIT_CARD only exists for en/es/it/pl, US_SSN only for en —
    the English recognizer is cloned for that language, so every message is analysed with its
    own language and the full set of recognizers. --lang-mode en analyses every message as "en".
  * Only the entity types present in the gold labels are requested (analyze(entities=...)).
  * Overlaps: by default, overlapping results are resolved as presidio-anonymizer does before
    redacting (contained results dropped, same-type intersections merged); --raw scores the
    AnalyzerEngine output as is.
  * Score threshold: Presidio's default (keep every result with score > 0) unless
    --score-threshold is given.
  * Throughput: AnalyzerEngine.analyze calls (plus the overlap resolution, a few microseconds,
    unless --raw) — engine construction and one warm-up pass excluded;
    "seconds" is the median of --repeat timed passes over the whole file.
"""
import argparse
import json
import logging
import statistics
import sys
import time
from collections import Counter, defaultdict

MODES = ("exact", "overlap")


# --------------------------------------------------------------------------- data

def load_rows(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            r = json.loads(line)
            text = r["text"]
            for s in r.get("spans", []):
                if not (0 <= s["start"] < s["end"] <= len(text)):
                    sys.exit(f"{path}:{n}: span {s} out of range for text of {len(text)} code points")
            rows.append(r)
    if not rows:
        sys.exit(f"{path}: no messages")
    return rows


# --------------------------------------------------------------------------- scoring

def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f}


def match_exact(gold, pred):
    """gold, pred: lists of (start, end) of one label in one message. Returns (tp, fp, fn)."""
    g, p = Counter(gold), Counter(pred)
    tp = sum((g & p).values())
    return tp, len(pred) - tp, len(gold) - tp


def match_overlap(gold, pred):
    """One-to-one greedy matching by largest overlap (ties: earliest gold, then earliest pred)."""
    pairs = []
    for gi, (gs, ge) in enumerate(gold):
        for pi, (ps, pe) in enumerate(pred):
            ov = min(ge, pe) - max(gs, ps)
            if ov > 0:
                pairs.append((-ov, gs, ps, gi, pi))
    pairs.sort()
    used_g, used_p = set(), set()
    for _, _, _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
    tp = len(used_g)
    return tp, len(pred) - tp, len(gold) - tp


def score(rows, predictions, labels):
    """predictions[i]: list of (start, end, label) for rows[i]. Returns (labels, by_language)."""
    # counts[lang][label][mode] = [tp, fp, fn]
    counts = defaultdict(lambda: defaultdict(lambda: {m: [0, 0, 0] for m in MODES}))
    for row, preds in zip(rows, predictions):
        lang = row["lang"]
        for label in labels:
            gold = [(s["start"], s["end"]) for s in row["spans"] if s["label"] == label]
            pred = [(s, e) for s, e, l in preds if l == label]
            for mode, fn in (("exact", match_exact), ("overlap", match_overlap)):
                c = counts[lang][label][mode]
                for i, v in enumerate(fn(gold, pred)):
                    c[i] += v
    by_language = {}
    total = {label: {m: [0, 0, 0] for m in MODES} for label in labels}
    for lang in sorted(counts):
        by_language[lang] = {}
        for label in labels:
            by_language[lang][label] = {}
            for m in MODES:
                c = counts[lang][label][m]
                by_language[lang][label][m] = prf(*c)
                for i in range(3):
                    total[label][m][i] += c[i]
    per_label = {label: {m: prf(*total[label][m]) for m in MODES} for label in labels}
    return per_label, by_language


# --------------------------------------------------------------------------- presidio

def offline_tldextract():
    """EmailRecognizer validates domains with tldextract, which by default fetches the Public
    Suffix List from the network (impossible here; it then falls back to the snapshot bundled in
    the wheel after a failed request). Use the bundled snapshot directly."""
    try:
        import tldextract.tldextract as tt
        tt.TLD_EXTRACTOR = tt.TLDExtract(suffix_list_urls=(), cache_dir=None,
                                         fallback_to_snapshot=True)
    except Exception as e:  # pragma: no cover - older/newer tldextract
        print(f"warning: could not make tldextract offline: {e}", file=sys.stderr)


def build_analyzer(languages, entities, lang_mode, phone_regions):
    offline_tldextract()
    import spacy
    from spacy.language import Language
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    if "presidio_lower_lemma" not in Language.factories:
        @Language.component("presidio_lower_lemma")
        def _lower_lemma(doc):  # blank pipelines have no lemmatizer
            for tok in doc:
                if not tok.lemma_:
                    tok.lemma_ = tok.lower_
            return doc

    class BlankSpacyNlpEngine(SpacyNlpEngine):
        """SpacyNlpEngine on spacy.blank(lang) pipelines: nothing to download, no NER."""

        def load(self):
            self.nlp = {}
            for model in self.models:
                lang = model["lang_code"]
                try:
                    nlp = spacy.blank(lang)
                except Exception:  # language without a spaCy tokenizer: multilingual one
                    nlp = spacy.blank("xx")
                nlp.add_pipe("presidio_lower_lemma")
                self.nlp[lang] = nlp

        def get_supported_entities(self):
            return []

    engine_langs = ["en"] if lang_mode == "en" else sorted(languages)
    nlp_engine = BlankSpacyNlpEngine(
        models=[{"lang_code": l, "model_name": f"blank:{l}"} for l in engine_langs])
    nlp_engine.load()

    registry = RecognizerRegistry(supported_languages=engine_langs)
    registry.load_predefined_recognizers(languages=engine_langs, nlp_engine=nlp_engine)

    notes = []
    # Presidio's predefined recognizers for the requested entities, by (entity, language).
    have = defaultdict(list)
    for rec in registry.recognizers:
        for ent in rec.supported_entities:
            have[(ent, rec.supported_language)].append(rec)

    # Fill gaps by cloning the English recognizer (its patterns are language-independent;
    # its context words stay English).
    for ent in entities:
        en_recs = have.get((ent, "en"), [])
        if not en_recs:
            if not any(e == ent for e, _ in have):
                notes.append(f"Presidio has no predefined recognizer for {ent}: all gold spans are misses")
            continue
        for lang in engine_langs:
            if have.get((ent, lang)):
                continue
            for rec in en_recs:
                try:
                    clone = type(rec)(supported_language=lang)
                except TypeError:
                    notes.append(f"could not clone {type(rec).__name__} for {lang}")
                    continue
                registry.add_recognizer(clone)
                have[(ent, lang)].append(clone)
                notes.append(f"{ent}/{lang}: cloned English {type(rec).__name__}")

    if phone_regions is not None:
        from presidio_analyzer.predefined_recognizers import PhoneRecognizer
        for rec in registry.recognizers:
            if isinstance(rec, PhoneRecognizer):
                rec.supported_regions = tuple(phone_regions)
        notes.append(f"PhoneRecognizer regions: {','.join(phone_regions)}")

    analyzer = AnalyzerEngine(registry=registry, nlp_engine=nlp_engine,
                              supported_languages=engine_langs)
    return analyzer, notes


def resolve_overlaps(results):
    """Resolve overlapping analyzer results the way presidio-anonymizer does before redacting
    (AnonymizerEngine._remove_conflicts_and_get_text_manipulation_data with its default
    strategy MERGE_SIMILAR_OR_CONTAINED), re-implemented here so presidio-anonymizer need not be
    installed: (1) intersecting results of the same type are merged into one span with the
    higher score; (2) a result whose span lies inside another result's span is dropped (for
    identical spans, the one with the lower score; on a tie the first in order is dropped).
    Partially overlapping results of different types are both kept.
    Input/output: lists of (start, end, label, score)."""
    items = sorted(results, key=lambda x: (x[0], x[1]))
    merged = []
    others = [list(x) for x in items]
    for cur in list(others):
        others.remove(cur)
        for o in others:
            if o[2] == cur[2] and min(cur[1], o[1]) - max(cur[0], o[0]) > 0:
                o[0], o[1], o[3] = min(cur[0], o[0]), max(cur[1], o[1]), max(cur[3], o[3])
                break
        else:
            others.append(cur)
            merged.append(cur)
    kept = []
    others = list(merged)
    for cur in merged:
        others.remove(cur)
        conflict = False
        for o in others:
            if (o[0], o[1]) == (cur[0], cur[1]):
                conflict = cur[3] <= o[3]
            else:
                conflict = o[0] <= cur[0] and cur[1] <= o[1]
            if conflict:
                break
        if not conflict:
            others.append(cur)
            kept.append(tuple(cur))
    return kept


# --------------------------------------------------------------------------- output

def fmt_table(result, title):
    out = []
    labels = result["labels"]

    def block(heading, table):
        out.append(heading)
        out.append(f"  {'label':<15} {'support':>7} | {'exact P':>7} {'R':>6} {'F1':>6} | "
                   f"{'overlap P':>9} {'R':>6} {'F1':>6}")
        for label, d in table.items():
            e, o = d["exact"], d["overlap"]
            support = e["tp"] + e["fn"]
            if support == 0 and e["fp"] == 0 and o["fp"] == 0:
                continue
            out.append(f"  {label:<15} {support:>7} | {e['precision']:>7.3f} {e['recall']:>6.3f} "
                       f"{e['f1']:>6.3f} | {o['precision']:>9.3f} {o['recall']:>6.3f} {o['f1']:>6.3f}"
                       + (f"   (fp {e['fp']}/{o['fp']})" if support == 0 else ""))

    out.append(title)
    block("All languages", labels)
    for lang, table in result["by_language"].items():
        block(f"Language {lang}", table)
    out.append(f"Throughput: {result['messages']} messages in {result['seconds']:.3f} s = "
               f"{result['messages_per_second']:.1f} messages/s, "
               f"{result['bytes_per_second'] / 1e6:.3f} MB/s")
    return "\n".join(out)


# --------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file", help="labelled JSON-lines file")
    ap.add_argument("--json", metavar="OUT", help="write results as JSON (tact eval --json shape)")
    ap.add_argument("--lang-mode", choices=("per-language", "en"), default="per-language",
                    help="per-language: recognizers registered for every language of the file, "
                         "each message analysed with its own language (default); "
                         "en: every message analysed as English")
    ap.add_argument("--score-threshold", type=float, default=None,
                    help="drop Presidio results below this score (default: Presidio's default, "
                         "which keeps everything above 0)")
    ap.add_argument("--phone-regions", default=None,
                    help="comma-separated regions for PhoneRecognizer (default: Presidio's own "
                         "default list US,GB,DE,FR,IL,IN,CA,BR)")
    ap.add_argument("--raw", action="store_true",
                    help="score AnalyzerEngine output as is; by default overlapping results are "
                         "resolved as presidio-anonymizer does (e.g. the URL Presidio finds inside "
                         "every e-mail address is dropped)")
    ap.add_argument("--repeat", type=int, default=3, help="timed passes (median reported)")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()

    logging.basicConfig(level=logging.INFO if args.verbose else logging.ERROR)
    logging.getLogger("presidio-analyzer").setLevel(logging.INFO if args.verbose else logging.ERROR)

    rows = load_rows(args.file)
    labels = sorted({s["label"] for r in rows for s in r["spans"]})
    languages = sorted({r["lang"] for r in rows})
    regions = [x.strip().upper() for x in args.phone_regions.split(",")] if args.phone_regions else None

    analyzer, notes = build_analyzer(languages, labels, args.lang_mode, regions)
    supported = set()
    for lang in analyzer.supported_languages:
        supported |= set(analyzer.get_supported_entities(language=lang))
    requested = [l for l in labels if l in supported]
    for l in labels:
        if l not in supported:
            notes.append(f"{l}: not supported by Presidio, not requested (all gold spans are misses)")

    jobs = [(r["text"], "en" if args.lang_mode == "en" else r["lang"]) for r in rows]
    kwargs = {"entities": requested}
    if args.score_threshold is not None:
        kwargs["score_threshold"] = args.score_threshold

    # Warm-up pass (loads recognizers lazily, fills caches); its output is what gets scored —
    # Presidio is deterministic, so the timed passes return the same spans.
    predictions = []
    for text, lang in jobs:
        res = analyzer.analyze(text=text, language=lang, **kwargs) if requested else []
        found = [(x.start, x.end, x.entity_type, x.score) for x in res]
        if not args.raw:
            found = resolve_overlaps(found)
        predictions.append([(a, b, l) for a, b, l, _ in found])

    times = []
    for _ in range(max(1, args.repeat)):
        t0 = time.perf_counter()
        for text, lang in jobs:
            if requested:
                res = analyzer.analyze(text=text, language=lang, **kwargs)
                if not args.raw:
                    resolve_overlaps([(x.start, x.end, x.entity_type, x.score) for x in res])
        times.append(time.perf_counter() - t0)
    seconds = statistics.median(times)
    nbytes = sum(len(t.encode("utf-8")) for t, _ in jobs)

    per_label, by_language = score(rows, predictions, labels)
    result = {
        "tool": "presidio",
        "file": args.file,
        "messages": len(rows),
        "seconds": seconds,
        "messages_per_second": len(rows) / seconds if seconds > 0 else 0.0,
        "bytes_per_second": nbytes / seconds if seconds > 0 else 0.0,
        "labels": per_label,
        "by_language": by_language,
    }

    import presidio_analyzer
    version = getattr(presidio_analyzer, "__version__", None)
    if version is None:
        try:
            from importlib.metadata import version as _v
            version = _v("presidio-analyzer")
        except Exception:
            version = "?"
    title = (f"Presidio {version} on {args.file} — lang-mode {args.lang_mode}, "
             f"score threshold {args.score_threshold if args.score_threshold is not None else 'default'}, "
             f"NLP: blank spaCy tokenizers, "
             f"{'raw analyzer output' if args.raw else 'overlaps resolved as presidio-anonymizer does'}")
    print(fmt_table(result, title))
    if notes and args.verbose:
        print("Notes:\n  " + "\n  ".join(notes))
    elif notes:
        print(f"Notes: {len(notes)} configuration notes (--verbose to list)")

    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=1)
            f.write("\n")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
