#!/usr/bin/env bash
# The contract suite, offline: forge build, every forge test (fuzz 10,000 runs, invariants 256 runs
# of depth 100, as set in foundry.toml) and solhint on src/ and test/ with zero warnings allowed.
# Prints `N passed, M failed` last; exits non-zero on any failure. Runs from any directory.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
bin=$here/../node_modules
forge=$bin/@foundry-rs/forge-linux-amd64/bin/forge
[ -x "$forge" ] || forge=$bin/.bin/forge
solhint=$bin/.bin/solhint

echo "--- forge build"
"$forge" build

echo "--- forge test"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
"$forge" test 2>&1 | tee "$log" || status=$?
summary=$(grep -E '^Ran [0-9]+ test suites?' "$log" | tail -1 || true)
passed=$(sed -nE 's/.*: ([0-9]+) tests passed.*/\1/p' <<<"$summary")
failed=$(sed -nE 's/.* ([0-9]+) failed.*/\1/p' <<<"$summary")
passed=${passed:-0}
failed=${failed:-0}
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

echo "--- solhint"
lint=0
"$solhint" --disc --noPoster --max-warnings 0 -c .solhint.json 'src/**/*.sol' || lint=1
"$solhint" --disc --noPoster --max-warnings 0 -c .solhint-test.json 'test/**/*.sol' || lint=1
if [ "$lint" -ne 0 ]; then
  echo "solhint: problems found"
  failed=$((failed + 1))
else
  echo "solhint: clean"
  passed=$((passed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
