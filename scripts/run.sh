#!/usr/bin/env bash
# The main job: installs what is missing, builds Dossier, and runs the end-to-end demo on the
# embedded node (a local anvil chain and IPFS store that Dossier starts itself).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh release
if [ -x build/release/apps/cli/dossier ]; then
  exec build/release/apps/cli/dossier demo "$@"
fi
echo "run: built the libraries and tests; the dossier CLI is not part of this build yet." >&2
