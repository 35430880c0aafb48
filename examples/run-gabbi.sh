#!/usr/bin/env bash
# Start a test cloud, run examples/gabbits/ against it with gabbi-run, stop
# it: the way a client in any language uses placement-testcloud.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${PLACEMENT_BIN:-.venv/bin}

ready_dir=$(mktemp -d)
ready=$ready_dir/ready.json
"$BIN/placement-testcloud" serve --port 0 --scenario flat \
    --ready-file "$ready" > "$ready_dir/server.log" 2>&1 &
server=$!
cleanup() {
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" || true
    rm -rf "$ready_dir"
}
trap cleanup EXIT

for _ in $(seq 600); do
    [ -f "$ready" ] && break
    kill -0 "$server" 2>/dev/null || { cat "$ready_dir/server.log"; exit 1; }
    sleep 0.1
done
endpoint=$("$BIN/python" -c \
    'import json, sys; print(json.load(open(sys.argv[1]))["endpoint"])' "$ready")
"$BIN/gabbi-run" "$endpoint" -- examples/gabbits/*.yaml
