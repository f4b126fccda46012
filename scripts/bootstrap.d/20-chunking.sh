#!/usr/bin/env bash
# Chunking data. With --peers: installs @langchain/textsplitters (bench/peers/chunking, exact versions) and
# generates, deterministically, the test corpus and LangChain's reference chunks into $AGENTKIT_DATA_DIR/chunking
# (read by tests/unit/text/chunk_langchain_equivalence.cpp, which reports SKIPPED without them) plus the ~10 MB
# benchmark corpus of bench/run-chunking.sh. Idempotent: regenerates only when the generator or versions changed.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

[ "${AGENTKIT_PEERS:-0}" = 1 ] || exit 0
command -v node >/dev/null 2>&1 || ak_die "node is missing: the chunking reference needs node and npm (Debian: nodejs npm)"
dir="$AGENTKIT_ROOT/bench/peers/chunking"
out="$AGENTKIT_DATA_DIR/chunking"
ak_npm_install "$dir"

stamp="$out/reference/VERSION"
if [ -f "$out/reference/manifest.tsv" ] && [ -f "$out/bench-corpus.txt" ] && [ "$stamp" -nt "$dir/reference.mjs" ] \
   && [ "$stamp" -nt "$dir/corpus.mjs" ] && [ "$stamp" -nt "$dir/package.json" ]; then
  exit 0
fi
ak_say "generating the chunking corpus and the LangChain reference in ${out#$AGENTKIT_ROOT/}"
mkdir -p "$out"
(cd "$dir" && node reference.mjs "$out") >/tmp/agentkit-chunking.log 2>&1 \
  || { tail -20 /tmp/agentkit-chunking.log >&2; ak_die "node bench/peers/chunking/reference.mjs failed"; }
