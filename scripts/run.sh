#!/usr/bin/env bash
# The main job: installs what is missing, builds Dossier's programs, and runs the end-to-end demo
# on the embedded node (a local anvil chain and IPFS store that Dossier starts itself). With a
# display, the desktop app opens on the demo's data; without one, the `dossier` CLI runs the demo
# in the terminal. Arguments go to the program that runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
[ -f build/release/CMakeCache.txt ] || cmake --preset release >/dev/null
# Only the programs: the tests and benchmarks are the test command's business.
targets=(dossier dossier-gateway)
if ninja -C build/release -t targets all 2>/dev/null | grep -q '^dossier-desktop:'; then
  targets+=(dossier-desktop)
fi
cmake --build build/release --target "${targets[@]}"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x build/release/apps/desktop/dossier-desktop ]; then
  exec build/release/apps/desktop/dossier-desktop --demo "$@"
fi
exec build/release/apps/cli/dossier demo "$@"
