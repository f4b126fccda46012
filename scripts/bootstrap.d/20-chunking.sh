#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Chunking data: installs @langchain/textsplitters (bench/peers/chunking, exact versions) and generates,
# deterministically, the test corpus and LangChain's reference chunks into $AGENTKIT_DATA_DIR/chunking (read by
# tests/unit/text/chunk_langchain_equivalence.cpp) plus the ~10 MB benchmark corpus of bench/run-chunking.sh.
# Idempotent: regenerates only when the generator or versions changed.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

command -v node >/dev/null 2>&1 || ak_die "node is missing: the chunking reference needs node and npm (Debian: nodejs npm)"
dir="$AGENTKIT_ROOT/bench/peers/chunking"
out="$AGENTKIT_DATA_DIR/chunking"
ak_npm_install "$dir"

stamp="$out/reference/VERSION"
if [ -f "$out/reference/manifest.tsv" ] && [ -f "$out/bench-corpus.txt" ] && [ "$stamp" -nt "$dir/reference.mjs" ] \
   && [ "$stamp" -nt "$dir/corpus.mjs" ] && [ "$stamp" -nt "$dir/package.json" ]; then
  exit 0
fi
log="$(ak_log_file bootstrap)"
ak_say "generating the chunking corpus and the LangChain reference in $(ak_rel "$out")"
mkdir -p "$out"
(cd "$dir" && node reference.mjs "$out") >>"$log" 2>&1 \
  || { tail -n 20 "$log" >&2; ak_die "node bench/peers/chunking/reference.mjs failed; full log: $(ak_rel "$log")"; }
