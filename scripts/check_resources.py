#!/usr/bin/env python3
"""Quick structural check of language resource files (syntax, ids, categories).

The authoritative check is the Rust loader (`cargo test -p tact-resources`); this script lets
someone editing data files check them without building anything:

    python3 scripts/check_resources.py crates/resources/data
"""
import re, sys, pathlib, tomllib

CATEGORIES = set("""
disclosure.self_harm disclosure.threat_to_life disclosure.domestic_violence disclosure.substance_abuse
disclosure.mental_health disclosure.physical_health disclosure.money_trouble disclosure.relationships_sexual
disclosure.legal_criminal disclosure.immigration disclosure.bereavement
emotion.anger emotion.frustration emotion.distress emotion.fear emotion.shame emotion.confusion emotion.hurry emotion.gratitude
crossing.personal_contact crossing.meet_outside crossing.romantic crossing.sexual crossing.money_request crossing.gift
crossing.favour crossing.counselling crossing.manipulation
abuse.insult abuse.profanity abuse.threat abuse.harassment abuse.slur abuse.complaint_leverage
modifier.negation modifier.reported modifier.hypothetical modifier.question modifier.intensifier modifier.diminisher
modifier.first_person modifier.second_person modifier.organisation modifier.close_person modifier.sarcasm
pii.cue.name pii.cue.address pii.cue.birth_date pii.cue.secret pii.cue.phone pii.cue.not_pii pii.cue.id
coach.thanks coach.positive_opening coach.apology coach.validation coach.acknowledgement coach.open_question
coach.summary coach.check coach.ownership coach.present_action coach.fallback coach.anything_else
coach.commitment coach.corporate_we coach.filler coach.robotic coach.casual coach.false_promise coach.blame
coach.polite_if coach.defensive coach.buck_passing coach.self_disclosure coach.money_offer coach.favour_request
coach.contact_sharing coach.rescuing
""".split())
PLACEHOLDERS = {"client_name", "worker_name", "organisation", "resource_name", "resource_contact",
                "crisis_line", "emergency_number", "colleague_name", "time_frame", "opening_hours"}
TIME_KEYS = {"today", "tomorrow", "day_after_tomorrow", "weekdays", "next", "end_of_day", "end_of_week",
             "next_week", "noon", "minutes", "hours", "days", "business_days", "weeks", "within", "by",
             "numbers", "within_after", "by_after", "months"}
SEVERITIES = {"urgent", "high", "moderate", "low"}
ENTRY_KEYS = {"id", "category", "severity", "phrases", "patterns", "person", "intensity", "scope", "kind", "note"}
CASE_KEYS = {"text", "expect", "mentioned", "absent", "urgent", "orientation", "pii", "note"}

def main(root):
    errors = 0
    def err(path, msg):
        nonlocal errors
        errors += 1
        print(f"{path}: {msg}")
    for lang_dir in sorted(pathlib.Path(root).iterdir()):
        if not lang_dir.is_dir():
            continue
        ids = {}
        for f in sorted(lang_dir.glob("*.toml")):
            try:
                doc = tomllib.loads(f.read_text(encoding="utf-8"))
            except Exception as e:  # noqa: BLE001
                err(f, f"does not parse: {e}")
                continue
            if f.name == "pii_patterns.toml":
                continue
            if f.name == "language.toml":
                if doc.get("code") != lang_dir.name:
                    err(f, "code must match the folder name")
                continue
            if f.name == "replies.toml":
                english = tomllib.loads((lang_dir.parent / "en" / "replies.toml").read_text(encoding="utf-8"))
                wanted = {r["id"]: set(re.findall(r"\{(\w+)\}", r["text"])) for r in english["reply"]}
                seen = set()
                for r in doc.get("reply", []):
                    rid = r.get("id")
                    if set(r) - {"id", "text", "note"}:
                        err(f, f"reply {rid}: unknown keys {set(r) - {'id', 'text', 'note'}}")
                    if rid not in wanted:
                        err(f, f"reply {rid}: not an id of en/replies.toml")
                        continue
                    if rid in seen:
                        err(f, f"reply {rid}: appears twice")
                    seen.add(rid)
                    used = set(re.findall(r"\{(\w+)\}", r.get("text", "")))
                    if used - PLACEHOLDERS:
                        err(f, f"reply {rid}: unknown placeholders {used - PLACEHOLDERS}")
                    if re.search(r"\{[^}]*$|^[^{]*\}", r.get("text", "")):
                        err(f, f"reply {rid}: unbalanced braces")
                for rid in sorted(set(wanted) - seen):
                    err(f, f"reply {rid}: missing")
                continue
            if f.name == "time.toml":
                extra = set(doc) - TIME_KEYS
                if extra:
                    err(f, f"unknown keys {extra}")
                if doc.get("months") and len(doc["months"]) != 12:
                    err(f, "months must list 12 months, January first")
                if len(doc.get("weekdays", [])) != 7:
                    err(f, "weekdays must list 7 days, Monday first")
                for pair in doc.get("numbers", []):
                    if not (len(pair) == 2 and isinstance(pair[0], str) and isinstance(pair[1], int)):
                        err(f, f"numbers entry {pair!r} must be [word, integer]")
                continue
            if f.name == "cases.toml":
                for i, case in enumerate(doc.get("case", [])):
                    extra = set(case) - CASE_KEYS
                    if extra:
                        err(f, f"case {i}: unknown keys {extra}")
                    for key in ("expect", "mentioned", "absent"):
                        for cat in case.get(key, []):
                            if cat not in CATEGORIES:
                                err(f, f"case {i}: unknown category {cat}")
                continue
            for e in doc.get("entry", []):
                extra = set(e) - ENTRY_KEYS
                if extra:
                    err(f, f"entry {e.get('id')}: unknown keys {extra}")
                if e.get("category") not in CATEGORIES:
                    err(f, f"entry {e.get('id')}: unknown category {e.get('category')}")
                if "severity" in e and e["severity"] not in SEVERITIES:
                    err(f, f"entry {e.get('id')}: bad severity {e['severity']}")
                if not e.get("phrases") and not e.get("patterns"):
                    err(f, f"entry {e.get('id')}: no phrases or patterns")
                if e.get("id") in ids:
                    err(f, f"duplicate id {e.get('id')} (also in {ids[e.get('id')]})")
                ids[e.get("id")] = f.name
    print(f"{errors} problem(s)")
    return 1 if errors else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "crates/resources/data"))
