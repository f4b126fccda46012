#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# The official client libraries the gateway's tests drive against agentkit-gateway (tests/clients: the openai
# npm client and @anthropic-ai/sdk, exact versions).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
command -v node >/dev/null 2>&1 || ak_die "node is missing: the gateway's client tests need node and npm (Debian: nodejs npm)"
ak_npm_install "$AGENTKIT_ROOT/tests/clients"
