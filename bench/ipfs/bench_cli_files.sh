#!/usr/bin/env bash
# `dossier file attach` and `dossier file fetch` end to end, as a user runs them: the real CLI
# against the embedded node's real IPFS gateway (a separate process), on a fresh data directory.
# Prints, for each of R rounds, the seconds and MB/s of the attach and of the fetch of one file of
# S MiB of random bytes, the CLI's peak RSS (/usr/bin/time) and the gateway's peak RSS (VmHWM of
# its process, read after each command), then the medians. The keystore is unlocked with the
# light KDF so that the figures are the file path's, not the password hashing's.
# Usage: bench/ipfs/bench_cli_files.sh [S MiB, default 1024] [R rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/../.."
size_mib=${1:-1024}
rounds=${2:-3}
cli=${DOSSIER_CLI:-build/release/apps/cli/dossier}
dir=$(mktemp -d "${TMPDIR:-/tmp}/dossier-bench-files.XXXXXX")
. bench/bench_setup.sh
gateway_pid=$(cat "$dir/data/node/ipfs-gateway.pid")

head -c "$((size_mib << 20))" /dev/urandom > "$dir/in.bin"
in_sum=$(sha256sum < "$dir/in.bin" | cut -d' ' -f1)
echo "file: $size_mib MiB of random bytes; gateway pid $gateway_pid"

# Peak RSS of the gateway so far, in MiB; reset before each command (clear_refs 5 resets VmHWM).
gw_reset() { echo 5 > "/proc/$gateway_pid/clear_refs"; }
gw_peak() { awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$gateway_pid/status"; }
# Runs the CLI under /usr/bin/time; prints "seconds peak_rss_mib".
timed() {
  /usr/bin/time -f "%e %M" -o "$dir/time" "$cli" --data-dir "$dir/data" "$@" > "$dir/out.json" || { cat "$dir/time" >&2; exit 1; }
  awk '{printf "%s %.0f\n", $1, $2 / 1024}' "$dir/time"
}
mbps() { awk -v s="$1" -v m="$size_mib" 'BEGIN { printf "%.0f", m * 1048576 / 1e6 / s }'; }

attach_rates=() fetch_rates=()
for r in $(seq 1 "$rounds"); do
  gw_reset
  read -r secs rss < <(timed --json file attach --as dr --patient p --path "$dir/in.bin")
  gw=$(gw_peak)
  record=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(0, "utf8")).record)' < "$dir/out.json")
  index=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(0, "utf8")).index)' < "$dir/out.json")
  attach_rates+=("$(mbps "$secs")")
  echo "round $r attach: $secs s = $(mbps "$secs") MB/s, CLI peak RSS $rss MiB, gateway peak RSS $gw MiB"
  rm -f "$dir/out.bin"
  sync "$dir/in.bin"
  gw_reset
  read -r secs rss < <(timed --json file fetch --as dr --patient p --record "$record" --index "$index" --out "$dir/out.bin")
  gw=$(gw_peak)
  fetch_rates+=("$(mbps "$secs")")
  echo "round $r fetch:  $secs s = $(mbps "$secs") MB/s, CLI peak RSS $rss MiB, gateway peak RSS $gw MiB"
  [ "$(sha256sum < "$dir/out.bin" | cut -d' ' -f1)" = "$in_sum" ] || { echo "fetched bytes differ" >&2; exit 1; }
  rm -f "$dir/out.bin"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END { print a[int((NR + 1) / 2)] }'; }
echo "median attach $(median "${attach_rates[@]}") MB/s, median fetch $(median "${fetch_rates[@]}") MB/s"
