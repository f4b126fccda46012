#!/usr/bin/env bash
# run-against-gateway.sh GATEWAY_BINARY CLIENT_SCRIPT.mjs: starts agentkit-gateway on a free port of 127.0.0.1
# (simulated upstream), runs the client script with the gateway's base URL, then stops the gateway with SIGTERM
# and checks that it drained and exited 0. The clients are installed by scripts/bootstrap (tests/clients).
set -euo pipefail
gateway="$1" script="$2"
here="$(cd "$(dirname "$0")" && pwd)"
if [ ! -d "$here/node_modules" ]; then
  if [ "${AGENTKIT_ALLOW_MISSING_PEERS:-}" = 1 ]; then echo "skipped: tests/clients not installed"; exit 77; fi
  echo "tests/clients/node_modules is missing: run scripts/bootstrap" >&2
  exit 1
fi
command -v node >/dev/null || { echo "node is missing: run scripts/bootstrap" >&2; exit 1; }
out="$(mktemp)"
trap 'kill -KILL "$pid" 2>/dev/null || true; rm -f "$out"' EXIT
env -u AGENTKIT_BASE_URL "$gateway" --port 0 >"$out" 2>&1 &
pid=$!
port=""
for _ in $(seq 1 500); do
  port="$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$out")"
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$out" >&2; echo "the gateway exited before listening" >&2; exit 1; }
  sleep 0.02
done
[ -n "$port" ] || { cat "$out" >&2; echo "the gateway did not say where it listens" >&2; exit 1; }
node "$script" "http://127.0.0.1:$port/v1"
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
grep -q "drained" "$out" || { cat "$out" >&2; echo "the gateway did not drain" >&2; exit 1; }
[ "$status" = 0 ] || { echo "the gateway exited with status $status after SIGTERM" >&2; exit 1; }
