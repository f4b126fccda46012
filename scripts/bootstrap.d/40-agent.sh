#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# The agent layer's wire format: RapidJSON (header-only; SAX + in-situ DOM parsing, fast Writer).
# Why RapidJSON and not simdjson / nlohmann / Boost.JSON: docs/architecture/agent.md.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
ak_apt_install rapidjson-dev
