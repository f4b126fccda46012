#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Observe layer: Debian's prometheus package for `promtool check metrics`, which
# tests/unit/observe/prometheus_text.cpp runs on our exposition output. The node peers of
# bench/run-observe.sh (prom-client, hdr-histogram-js, bench/peers/observe/package.json) come with --peers.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

ak_apt_install prometheus
command -v promtool >/dev/null 2>&1 || ak_die "prometheus is installed but promtool is not on PATH"
