#!/usr/bin/env bash
# Installs everything Dossier needs on a Debian 12 machine: system packages (apt-get) and the
# pinned npm toolchain (npm ci). Idempotent, and quick when nothing is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config git clang-14 libclang-rt-14-dev
  libssl-dev libsecp256k1-dev libsodium-dev libcurl4-openssl-dev nlohmann-json3-dev
  libsqlite3-dev libcli11-dev libspdlog-dev libfmt-dev libgtest-dev libgmock-dev
  libbenchmark-dev libboost-dev libcpp-httplib-dev libmagic-dev nodejs npm
  qt6-base-dev qt6-pdf-dev libqrencode-dev fonts-dejavu-core zbar-tools
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  # A machine may carry its own newer node/npm outside Debian's packages; accept those.
  case $p in nodejs) command -v node >/dev/null && continue ;; npm) command -v npm >/dev/null && continue ;; esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci only when package-lock.json changed since the last successful install.
stamp=node_modules/.dossier-lock-sha
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" >"$stamp"
fi
