#!/usr/bin/env bash
# Compare tact with Microsoft Presidio on a labelled PII file (run by hand, not by CI).
#
#   scripts/compare-presidio/run.sh [FILE]
#
# FILE defaults to ../shared/eval/pii/dev.jsonl relative to the repository root.
# Extra options for presidio_eval.py can be passed in PRESIDIO_ARGS, e.g.
#   PRESIDIO_ARGS="--score-threshold 0.4" scripts/compare-presidio/run.sh
#
# What gets installed, and from where (PyPI only — nothing else is reachable on these machines):
#   .venv-presidio/ at the repository root (gitignored by /.venv*), created with `python3 -m venv`,
#   containing presidio-analyzer (pinned, override with PRESIDIO_VERSION) and its dependencies,
#   spaCy among them. NO trained spaCy model: Presidio's default en_core_web_lg (and every other
#   spaCy model) is distributed only through spaCy's GitHub-hosted downloader, not PyPI, so it
#   cannot be installed here. presidio_eval.py instead gives Presidio blank spaCy pipelines
#   (spacy.blank(lang): tokenizer only, shipped inside the spacy wheel). That costs nothing in
#   detection for the scored entity types — CREDIT_CARD, IBAN_CODE, EMAIL_ADDRESS, PHONE_NUMBER,
#   IP_ADDRESS, URL, US_SSN all come from Presidio's pattern/checksum/phonenumbers recognizers,
#   not from NER — but it makes Presidio faster than with its default model (see README.md).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="$ROOT/.venv-presidio"
PRESIDIO_VERSION="${PRESIDIO_VERSION:-2.2.366}"

FILE="${1:-$ROOT/../shared/eval/pii/dev.jsonl}"
if [[ ! -f "$FILE" ]]; then
    echo "no such file: $FILE" >&2
    exit 2
fi
FILE="$(cd "$(dirname "$FILE")" && pwd)/$(basename "$FILE")"   # absolute: we cd to $ROOT below

# --- 1. virtual environment (created once, reused) ------------------------------------------
if ! "$VENV/bin/python" -c "import presidio_analyzer, spacy" 2>/dev/null; then
    echo "== creating $VENV (presidio-analyzer==$PRESIDIO_VERSION from PyPI)"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet "presidio-analyzer==$PRESIDIO_VERSION"
fi

cd "$ROOT"
mkdir -p target

# --- 2. Presidio ----------------------------------------------------------------------------
echo "== Presidio"
# shellcheck disable=SC2086  # PRESIDIO_ARGS is a list of options
"$VENV/bin/python" "$HERE/presidio_eval.py" "$FILE" --json target/presidio-eval.json ${PRESIDIO_ARGS:-}

# --- 3. tact --------------------------------------------------------------------------------
echo
echo "== tact"
rm -f target/tact-eval.json
if ! cargo run --release -p tact -- eval "$FILE" --json target/tact-eval.json \
        || [[ ! -s target/tact-eval.json ]]; then
    echo "tact eval failed or wrote no target/tact-eval.json (does \`tact eval FILE --json OUT\`" \
         "exist yet?); Presidio's results are in target/presidio-eval.json" >&2
    exit 1
fi

# --- 4. side by side ------------------------------------------------------------------------
echo
echo "== tact vs Presidio"
"$VENV/bin/python" "$HERE/compare.py" target/presidio-eval.json target/tact-eval.json
