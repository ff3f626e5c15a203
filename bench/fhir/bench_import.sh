#!/usr/bin/env bash
# Import rate of `dossier import` end to end (parse, validate, seal, store, chain) on the embedded
# node: a fresh data directory, a verified doctor and a patient it registered, then N generated
# resources (bench/fhir/gen_fhir_set.mjs) imported through the real CLI. Prints the dry run's rate
# (parse and validate only), the import's rate with batch writes (one addRecords transaction per
# batch), the rate of a second run that finds every resource in the journal, and, for comparison
# in the same run, the rate with per-record writes (one addRecord transaction each, pipelined) of
# the first M resources for a second patient on the same chain.
# Usage: bench/fhir/bench_import.sh [N, default 10000] [batch, default 128] [M, default 1000, 0: none]
#        [in-flight of the per-record run, default 16]
# BLOCK_TIME=2 runs the embedded chain in interval mining (a block every 2 s, as a real chain)
# instead of a block per transaction.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-10000}
batch=${2:-128}
m=${3:-1000}
in_flight=${4:-16}
cli=${DOSSIER_CLI:-build/release/apps/cli/dossier}
dir=$(mktemp -d "${TMPDIR:-/tmp}/dossier-bench-import.XXXXXX")
. bench/bench_setup.sh
echo '{"name": "Bench Patient Two", "birthDate": "1970-01-01"}' > "$dir/p2.json"
d patient add --as dr --label p2 --fields "$dir/p2.json" >/dev/null
node bench/fhir/gen_fhir_set.mjs "$n" > "$dir/set.ndjson"
echo "set: $n resources, $(du -h "$dir/set.ndjson" | cut -f1) of NDJSON"

rate() { node -e 'const r=JSON.parse(require("fs").readFileSync(0,"utf8"));
  const n=r.added+r.skipped; console.log(`${process.argv[1]}: ${n} in ${r.seconds.toFixed(1)} s = ${(n/r.seconds).toFixed(0)} records/s (added ${r.added}, skipped ${r.skipped}, refused ${r.refused.length})`)' "$1"; }
d --json import "$dir/set.ndjson" --as dr --patient p --dry-run | rate "dry run (parse, validate)"
d --json import "$dir/set.ndjson" --as dr --patient p --batch "$batch" ${IN_FLIGHT:+--in-flight "$IN_FLIGHT"} | rate "import, batch writes, $batch per transaction"
d --json import "$dir/set.ndjson" --as dr --patient p | rate "again (all in the journal)"
if [ "$m" -gt 0 ]; then
  head -n "$m" "$dir/set.ndjson" > "$dir/first.ndjson"
  d --json import "$dir/first.ndjson" --as dr --patient p2 --per-record --in-flight "$in_flight" \
    | rate "import of the first $m, per-record writes, $in_flight in flight"
fi
