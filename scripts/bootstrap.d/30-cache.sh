#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Cache layer: trace decompressors (xz-utils, zstd: installed by scripts/bootstrap itself; gzip is essential),
# and Caffeine (Debian's libcaffeine-java) with a JDK: tests/integration/cache_caffeine_decisions.cpp compiles
# bench/peers/cache/CacheSim.java against it, and bench/run-cache.sh runs it beside java.util.LinkedHashMap.
# The node peer of the benchmark (lru-cache, bench/peers/cache/package.json) comes with --peers.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

for tool in gzip zstd xz; do
  command -v "$tool" >/dev/null 2>&1 || ak_die "cache traces need '$tool' (Debian: gzip, zstd, xz-utils) — run scripts/bootstrap as root"
done

ak_apt_install default-jdk-headless libcaffeine-java
[ -f /usr/share/java/caffeine.jar ] || ak_die "libcaffeine-java is installed but /usr/share/java/caffeine.jar is missing"
