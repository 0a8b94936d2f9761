#!/usr/bin/env bash
# Load test of `tact serve` on loopback with wrk (Debian's package): analyse requests per second
# and latency percentiles, then ingest throughput on SQLite and, when TACT_LOAD_POSTGRES_URL names
# an empty database, on PostgreSQL. Bounded: each run lasts $DURATION (default 15s).
#
#   scripts/load/run.sh                 # SQLite only
#   TACT_LOAD_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/tact_load scripts/load/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${DURATION:-15s}
connections=${CONNECTIONS:-16}
threads=${THREADS:-1}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
cargo build --release -q -p tact
work=$(mktemp -d /tmp/tact-load.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

# Starts tact serve on $1 (a file or URL); sets $address and $TACT_KEY.
start() {
    RUST_LOG=warn target/release/tact serve --bind 127.0.0.1:0 --db "$1" 2>"$work/serve.log" &
    for _ in $(seq 100); do
        grep -q "http://" "$work/serve.log" 2>/dev/null && break
        sleep 0.1
    done
    address=$(grep -o 'http://[0-9.:]*' "$work/serve.log" | head -n 1)
    TACT_KEY=$(grep -o '^tact_[0-9a-f]*' "$work/serve.log" | head -n 1)
    export TACT_KEY
}

stop() {
    kill "$(jobs -p | tail -n 1)" 2>/dev/null || true
    wait 2>/dev/null || true
}

run() { # name script|path
    echo "== $1 ($connections connections, $threads wrk threads, $duration)"
    local target=(-s "scripts/load/$2" "$address")
    [[ $2 == /* ]] && target=("$address$2")
    wrk -t"$threads" -c"$connections" -d"$duration" --latency "${target[@]}" \
        | grep -E "Requests/sec|Latency  |  50%|  90%|  99%|Non-2xx|Socket errors"
}

start "$work/load.sqlite"
# The peer: the same server answering a request that does no work, in the same run.
run "healthz (HTTP floor)" /healthz
run "analyse" analyse.lua
run "ingest, SQLite" ingest.lua
stop

if [ -n "${TACT_LOAD_POSTGRES_URL:-}" ]; then
    start "$TACT_LOAD_POSTGRES_URL"
    if [ -z "$TACT_KEY" ]; then
        echo "TACT_LOAD_POSTGRES_URL must name an empty database (its first start prints the key)" >&2
        exit 2
    fi
    run "ingest, PostgreSQL" ingest.lua
    stop
fi
