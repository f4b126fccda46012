#!/usr/bin/env bash
# Cache layer: trace decompressors (xz-utils, zstd: installed by scripts/bootstrap itself; gzip is essential)
# and, with --peers, the Java peers of bench/run-cache.sh: Caffeine (Debian's libcaffeine-java) and a JDK
# for java.util.LinkedHashMap. The node peer (lru-cache) comes from bench/peers/cache/package.json.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

for tool in gzip zstd xz; do
  command -v "$tool" >/dev/null 2>&1 || ak_die "cache traces need '$tool' (Debian: gzip, zstd, xz-utils) — run scripts/bootstrap as root"
done

if [ "${AGENTKIT_PEERS:-0}" = 1 ]; then
  ak_apt_install default-jdk-headless libcaffeine-java
  [ -f /usr/share/java/caffeine.jar ] || ak_die "libcaffeine-java is installed but /usr/share/java/caffeine.jar is missing"
fi
