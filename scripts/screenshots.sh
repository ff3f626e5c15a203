#!/usr/bin/env bash
# Regenerates docs/screenshots/: runs the demonstration on a fresh, temporary data directory and
# saves every page of each role (doctor, patient, credentialing authority) as a PNG, rendered
# offscreen (no display needed). The README shows these pictures.
# Usage: scripts/screenshots.sh [OUTPUT_DIR]   (default: docs/screenshots)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-docs/screenshots}")
bash scripts/setup.sh
[ -f build/release/CMakeCache.txt ] || cmake --preset release >/dev/null
cmake --build build/release --target dossier-desktop dossier-gateway dossier

# A throwaway data directory and settings: the pictures show the demonstration's data only, and
# the user's own accounts and window settings are neither shown nor touched.
# The demonstration leaves its embedded node running: stop it before removing its directory.
scratch=$(mktemp -d)
trap 'build/release/apps/cli/dossier --data-dir "$scratch/data" node down >/dev/null 2>&1 || true; rm -rf "$scratch"' EXIT
mkdir -p "$out"
rm -f "$out"/*.png
# A fixed font and size so that the pictures change only when the app does.
QT_QPA_PLATFORM=offscreen QT_FONT_DPI=96 XDG_CONFIG_HOME="$scratch/config" \
  build/release/apps/desktop/dossier-desktop --data-dir "$scratch/data" --demo --screenshot-all "$out"
ls "$out"
