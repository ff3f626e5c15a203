#!/usr/bin/env bash
# Runs every Dossier test: installs what is missing, builds, runs the C++ suites (ctest), the
# contract suite (forge + solhint), then the sanitizer job (ASan+UBSan build of the tests, the
# client's concurrency tests under ThreadSanitizer, and each libFuzzer target for FUZZ_SECONDS).
# Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
export CTEST_PARALLEL_LEVEL=${CTEST_PARALLEL_LEVEL:-2}

step() { printf '\n=== %s ===\n' "$*"; }

step "setup"
bash scripts/setup.sh

# Run through bash, not by its run bit: a lost chmod must not skip the stage.
step "contracts: forge build, forge test, solhint"
bash contracts/test.sh

step "C++ build (release)"
bash scripts/build.sh release
step "C++ tests (release)"
ctest --preset release

step "sanitizer job: ASan+UBSan build"
bash scripts/build.sh asan
step "sanitizer job: C++ tests under ASan+UBSan"
ASAN_OPTIONS=detect_leaks=1 ctest --preset asan
step "sanitizer job: ThreadSanitizer build of the client's concurrency tests"
bash scripts/build.sh tsan
step "sanitizer job: the client's concurrency tests under ThreadSanitizer"
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" ctest --preset tsan
step "sanitizer job: fuzzing each target for ${FUZZ_SECONDS}s"
mkdir -p build/fuzz-corpus
# Every target with a source in fuzz/ must have been built and must run: a stale build/asan
# configured without fuzzers, or a glob matching nothing, fails here instead of passing empty.
shopt -s nullglob
fuzz_sources=(fuzz/*/fuzz_*.cpp)
shopt -u nullglob
[ ${#fuzz_sources[@]} -gt 0 ] || { echo "fuzz: no target in fuzz/*/fuzz_*.cpp"; exit 1; }
for src in "${fuzz_sources[@]}"; do
  name=$(basename "$src" .cpp)
  fuzzer=build/asan/fuzz/$name
  [ -x "$fuzzer" ] || { echo "fuzz: $fuzzer was not built (build/asan must be configured with DOSSIER_FUZZ=ON)"; exit 1; }
  corpus=build/fuzz-corpus/$name
  mkdir -p "$corpus"
  seeds=fuzz/corpus/${name#fuzz_}
  echo "fuzz: $name (${FUZZ_SECONDS}s)"
  "$fuzzer" -max_total_time="$FUZZ_SECONDS" -print_final_stats=0 -rss_limit_mb=4096 \
    -artifact_prefix="build/fuzz-corpus/$name-" "$corpus" $( [ -d "$seeds" ] && echo "$seeds" ) 2>build/fuzz-corpus/$name.log \
    || { tail -40 build/fuzz-corpus/$name.log; echo "fuzz: $name found a crash"; exit 1; }
  grep -E '^Done [0-9]+ runs' build/fuzz-corpus/$name.log | tail -1 \
    || { echo "fuzz: $name did not report its runs"; exit 1; }
done
step "all tests passed"
