#!/usr/bin/env bash
# The agent layer's figures, side by side with peers, as markdown tables (docs/benchmarks.md (agent section)):
#   1. HTTP client overhead per request: keep-alive vs a new connection per request, plain and streamed,
#      and over HTTPS (self-signed certificate, peer verification on): pooled TLS connection vs a new TLS
#      connection (handshake) per request, against our OpenAI-compatible test server (one server process for
#      agentkit and the node openai client);
#   2. streaming parse throughput: the same SSE bytes through agentkit's parser/decoder and eventsource-parser;
#   3. three 100 ms tools in one turn: parallel vs sequential;
#   4. the agent loop's own cost per iteration (the model excluded).
# Builds what it needs in Release (build dir $AGENTKIT_BENCH_DIR, default build/bench). Bounded: ~2 minutes.
# Peers need `scripts/bootstrap --peers` (bench/peers/agent/node_modules); without them only our figures print.
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
cd "$AGENTKIT_ROOT"
dir="${AGENTKIT_BENCH_DIR:-build/bench}"
targets="bench_transport_http bench_model_sse bench_tools_parallel bench_agent_loop"

cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DAGENTKIT_BUILD_BENCH=ON -DAGENTKIT_BUILD_TESTS=OFF \
  -DAGENTKIT_BUILD_EXAMPLES=OFF "-DCMAKE_CXX_FLAGS=-march=native" >/tmp/agentkit-bench-agent.log 2>&1 \
  || { cat /tmp/agentkit-bench-agent.log >&2; ak_die "configure failed"; }
# shellcheck disable=SC2086
cmake --build "$dir" -j2 --target $targets >>/tmp/agentkit-bench-agent.log 2>&1 \
  || { tail -40 /tmp/agentkit-bench-agent.log >&2; ak_die "build failed"; }
bin="$dir/bench/"

tmp="$(mktemp -d)"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

# One test server process for both clients.
mkfifo "$tmp/stdin"
AGENTKIT_SERVE=1 "${bin}bench_transport_http" <"$tmp/stdin" >"$tmp/url" &
server_pid=$!
exec 3>"$tmp/stdin"   # keeps the server's stdin open until this script exits
for _ in $(seq 100); do [ "$(wc -l <"$tmp/url")" -ge 3 ] && break; sleep 0.1; done
url="$(sed -n 1p "$tmp/url")"; tls_url="$(sed -n 2p "$tmp/url")"; ca_file="$(sed -n 3p "$tmp/url")"
{ [ -n "$url" ] && [ -n "$tls_url" ] && [ -n "$ca_file" ]; } || ak_die "the test server did not start"

run() {  # run NAME BINARY [ARGS...]: Google Benchmark CSV -> $tmp/NAME.csv
  local name="$1"; shift
  "$@" --benchmark_format=csv --benchmark_min_time=1 2>>"$tmp/bench.err" | grep -v '^[A-Za-z ]*:' >"$tmp/$name.csv"
}
AGENTKIT_BENCH_BASE_URL="$url" AGENTKIT_BENCH_TLS_URL="$tls_url" AGENTKIT_BENCH_CA_FILE="$ca_file" \
  run http "${bin}bench_transport_http"
run sse "${bin}bench_model_sse"
run tools "${bin}bench_tools_parallel" 
run agent "${bin}bench_agent_loop"

peers=0
if [ -d bench/peers/agent/node_modules ] && command -v node >/dev/null; then
  AGENTKIT_BENCH_BASE_URL="$url" AGENTKIT_BENCH_TLS_URL="$tls_url" NODE_EXTRA_CA_CERTS="$ca_file" \
    node bench/peers/agent/bench.mjs >"$tmp/peer.csv" 2>"$tmp/peer.err" && peers=1 \
    || { ak_say "node peer failed: $(tail -3 "$tmp/peer.err")"; }
fi

# ns per op of benchmark $2 in csv $1 (real_time converted from its unit)
ns() { awk -F, -v n="\"$2\"" '$1==n || $1==substr(n,2,length(n)-2) { m=1; if($5 ~ /us/) m=1e3; if($5 ~ /ms/) m=1e6; if($5 ~ /"s"|^s$/) m=1e9; printf "%.0f", $3*m; exit }' "$1"; }
col() {  # col CSV NAME HEADER: a named column (bytes_per_second, items_per_second, counters)
  awk -F, -v n="$2" -v h="$3" 'NR==1 { for(i=1;i<=NF;i++) if($i==h || $i=="\""h"\"") c=i; next }
       { name=$1; gsub(/"/,"",name); if(name==n && c) { print $c; exit } }' "$1"; }
peer() { [ "$peers" = 1 ] && awk -F, -v n="$1" '$1==n { printf "%.0f", $2; exit }' "$tmp/peer.csv" || true; }
us() { [ -n "$1" ] && awk -v x="$1" 'BEGIN { printf "%.1f", x/1e3 }' || printf -- "-"; }
ratio() { [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", b/a }' || printf -- "-"; }
mbps() { [ -n "$1" ] && awk -v x="$1" 'BEGIN { printf "%.0f", x/1e6 }' || printf -- "-"; }

echo "## Agent layer ($(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m))"
echo
echo "### HTTP client overhead per request (127.0.0.1, one test server process for both clients)"
echo
echo "| request | agentkit (us) | openai node $(node -e 'console.log(require("./bench/peers/agent/node_modules/openai/package.json").version)' 2>/dev/null || echo '') (us) | peer / agentkit |"
echo "|---|---:|---:|---:|"
ka=$(ns "$tmp/http.csv" BM_ChatKeepAlive/real_time); nc=$(ns "$tmp/http.csv" BM_ChatNewConnection/real_time)
sk=$(ns "$tmp/http.csv" BM_StreamKeepAlive/real_time)
pka=$(peer chat_keep_alive); psk=$(peer stream_keep_alive)
echo "| chat completion, keep-alive | $(us "$ka") | $(us "$pka") | $(ratio "$ka" "$pka") |"
echo "| chat completion, new connection each | $(us "$nc") | - | - |"
echo "| streamed completion (SSE), keep-alive | $(us "$sk") | $(us "$psk") | $(ratio "$sk" "$psk") |"
tp=$(ns "$tmp/http.csv" BM_TlsChatPooled/real_time); tn=$(ns "$tmp/http.csv" BM_TlsChatNewConnection/real_time)
ptp=$(peer tls_chat_keep_alive)
echo "| chat completion over TLS, pooled connection | $(us "$tp") | $(us "$ptp") | $(ratio "$tp" "$ptp") |"
echo "| chat completion over TLS, new connection each (TCP + TLS handshake, P-256, verified) | $(us "$tn") | - | - |"
echo
echo "Goal lines: keep-alive saves $(awk -v a="$ka" -v b="$nc" 'BEGIN{printf "%.1f", (b-a)/1e3}') us per request over plain TCP;"
echo "a pooled TLS connection saves $(awk -v a="$tp" -v b="$tn" 'BEGIN{printf "%.1f", (b-a)/1e3}') us (the handshake) per request."
echo
echo "### Streaming parse throughput (4000-chunk chat-completions stream, 16 KiB pieces)"
echo
echo "| path | agentkit (MB/s) | eventsource-parser (MB/s) | agentkit / peer |"
echo "|---|---:|---:|---:|"
s1=$(col "$tmp/sse.csv" BM_SseParserOnly bytes_per_second); s2=$(col "$tmp/sse.csv" BM_OpenAiStreamDecode bytes_per_second)
p1=$(peer sse_parser_only_MBps); p2=$(peer sse_json_decode_MBps)
echo "| SSE events only | $(mbps "$s1") | ${p1:--} | $( [ -n "$p1" ] && awk -v a="$s1" -v b="$p1" 'BEGIN{printf "%.1fx", a/1e6/b}' || echo -) |"
echo "| SSE + JSON chunk decode + reply | $(mbps "$s2") | ${p2:--} | $( [ -n "$p2" ] && awk -v a="$s2" -v b="$p2" 'BEGIN{printf "%.1fx", a/1e6/b}' || echo -) |"
echo
echo "### Tools: three independent 100 ms tools in one model turn"
echo
echo "| execution | wall time (ms) |"
echo "|---|---:|"
par=$(ns "$tmp/tools.csv" BM_ThreeSlowToolsParallel/iterations:10/real_time)
echo "| parallel (max_workers 4) | $(awk -v x="$(ns "$tmp/tools.csv" BM_ThreeSlowToolsParallel/iterations:10/real_time)" 'BEGIN{printf "%.1f", x/1e6}') |"
echo "| sequential | $(awk -v x="$(ns "$tmp/tools.csv" BM_ThreeSlowToolsSequential/iterations:5/real_time)" 'BEGIN{printf "%.1f", x/1e6}') |"
echo
echo "| executor cost | ns |"
echo "|---|---:|"
echo "| one no-op tool call through the executor (thread pool, timeout, cap) | $(ns "$tmp/tools.csv" BM_ExecutorOverheadPerCall/real_time) |"
echo "| tool_set dispatch by name, direct (Hana tuple) | $(ns "$tmp/tools.csv" BM_ToolSetDispatchDirect) |"
echo
echo "### Agent loop overhead (scripted provider answering at once: the model excluded)"
echo
echo "| turn | us per turn | us per iteration | peak RSS (KiB) |"
echo "|---|---:|---:|---:|"
t1=$(ns "$tmp/agent.csv" BM_AgentTurnWithOneToolCall/real_time); t2=$(ns "$tmp/agent.csv" BM_AgentTurnAnswerOnly/real_time)
echo "| user -> tool call -> tool -> answer (2 iterations) | $(us "$t1") | $(awk -v x="$t1" 'BEGIN{printf "%.1f", x/2e3}') | $(col "$tmp/agent.csv" BM_AgentTurnWithOneToolCall/real_time peak_rss_kb | cut -d. -f1) |"
echo "| user -> answer (1 iteration) | $(us "$t2") | $(us "$t2") | - |"
t3=$(ns "$tmp/agent.csv" BM_AgentTurnThroughRouter/real_time)
echo "| user -> answer through model::router (bulkhead + breaker + retry + stats per call) | $(us "$t3") | $(us "$t3") | - |"
t4=$(ns "$tmp/agent.csv" BM_AgentTurnAnswerOnlyAsync/real_time)
echo "| user -> answer through async_run (coroutine on an io_context, model call offloaded to a 1-thread pool) | $(us "$t4") | $(us "$t4") | - |"
echo
echo "Goal line: three 100 ms tools in parallel took $(awk -v x="$par" 'BEGIN{printf "%.0f", x/1e6}') ms (goal ~100 ms, not 300 ms)."
