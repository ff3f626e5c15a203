#!/usr/bin/env bash
# forge build, offline (tools/solc presents the npm solc to forge). Writes the ABIs and bytecode
# to contracts/out/, from which the C++ build generates its contract bindings.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
forge=$here/../node_modules/@foundry-rs/forge-linux-amd64/bin/forge
[ -x "$forge" ] || { echo "contracts/build.sh: forge is missing; run scripts/setup.sh" >&2; exit 1; }
# The C++ bindings need the contracts only; the test suite is built and run by contracts/test.sh.
"$forge" build --quiet src
