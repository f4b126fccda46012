#!/usr/bin/env bash
# Observe layer: with --peers, Debian's prometheus package for `promtool check metrics`, which
# tests/unit/observe/prometheus_text.cpp runs on our exposition output (the test skips, naming promtool,
# when it is missing). The node peers of bench/run-observe.sh (prom-client, hdr-histogram-js) come from
# bench/peers/observe/package.json.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

if [ "${AGENTKIT_PEERS:-0}" = 1 ]; then
  ak_apt_install prometheus
  command -v promtool >/dev/null 2>&1 || ak_die "prometheus is installed but promtool is not on PATH"
fi
