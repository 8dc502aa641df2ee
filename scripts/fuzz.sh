#!/usr/bin/env bash
# Fuzzes every reader of user-supplied bytes (fuzz/: scenario, sweep, network file, results file
# of `report`, sweep journal) with libFuzzer + AddressSanitizer + UndefinedBehaviorSanitizer.
#   scripts/fuzz.sh [seconds-per-target]     # default 60, random seeds: a developer's search
#   FOURP_FUZZ_SEED=1 FOURP_FUZZ_RUNS=1000 scripts/fuzz.sh 60
#       # what scripts/test.sh runs: a fixed seed and a fixed number of inputs a target, so that
#       # CI's result is the same on every run (a search that finds something new must not
#       # turn a change red by chance); the seconds only bound it
# Builds with clang in build-fuzz/ (FOURP_FUZZ=ON), seeds each target with files of tests/data/
# (and a results file and a journal its initialisation writes), and fails on any crash, timeout
# (> 10 s for one input, instrumented) or out-of-memory (> 2048 MB). Inputs that failed are left in
# build-fuzz/artifacts/: add each to tests/data/hostile/ with a test (see its README.md).
# New inputs found are kept in build-fuzz/corpus/<target>/, so longer runs build on shorter ones.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
jobs=$(nproc)
fixed=()
[ -n "${FOURP_FUZZ_SEED:-}" ] && fixed+=(-seed="$FOURP_FUZZ_SEED")
[ -n "${FOURP_FUZZ_RUNS:-}" ] && fixed+=(-runs="$FOURP_FUZZ_RUNS")

CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFOURP_FUZZ=ON \
  -DFOURP_BUILD_TESTS=OFF -DFOURP_SIMD_CLONES=OFF -DFOURP_WITH_MPI=OFF >/dev/null
cmake --build build-fuzz -j"$jobs" --target fuzz

# target, -max_len, then read-only seed directories.
targets=(
  "fuzz_scenario 65536 tests/data/bad tests/data/good tests/data/hostile scenarios"
  "fuzz_sweep 65536 tests/data/bad-sweeps scenarios/sweeps"
  "fuzz_network_file 16384 tests/data/networks"
  "fuzz_results_file 524288"  # its seed is a results file of 64 KB, written by the target
  "fuzz_sweep_journal 65536"
  "fuzz_calibration 65536 tests/data/calibration scenarios/calibration"
  "fuzz_calibration_journal 65536"
  "fuzz_targets_csv 65536 tests/data/calibration scenarios/calibration"
  "fuzz_optimisation 65536 tests/data/optimisation scenarios/optimisation"
  "fuzz_optimisation_journal 65536"
  "fuzz_yaml_edit 65536 tests/data/yaml-edit scenarios"
)
mkdir -p build-fuzz/artifacts
status=0
for spec in "${targets[@]}"; do
  read -r target max_len seeds <<<"$spec"
  # FOURP_FUZZ_TARGETS="a b": only these (default: every target)
  if [ -n "${FOURP_FUZZ_TARGETS:-}" ] && [[ " $FOURP_FUZZ_TARGETS " != *" $target "* ]]; then
    continue
  fi
  corpus=build-fuzz/corpus/$target
  generated=build-fuzz/seeds/$target
  mkdir -p "$corpus" "$generated"
  # shellcheck disable=SC2086  # seeds is a list of directories
  if FOURP_FUZZ_SEED_DIR="$generated" ASAN_OPTIONS=detect_leaks=1 \
     LSAN_OPTIONS=suppressions=fuzz/lsan.supp \
     UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     "build-fuzz/fuzz/$target" "$corpus" "$generated" $seeds \
       -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
       -malloc_limit_mb=65536 \
       -artifact_prefix="build-fuzz/artifacts/$target-" -print_final_stats=1 "${fixed[@]}" \
       >"build-fuzz/$target.log" 2>&1; then
    echo "fuzz: $target: $(grep -E '^stat::number_of_executed_units' "build-fuzz/$target.log" |
      awk '{print $2}') inputs, no failure"
  else
    status=1
    echo "fuzz: $target FAILED (build-fuzz/$target.log):" >&2
    grep -E 'ERROR|SUMMARY|Test unit written' "build-fuzz/$target.log" | head -5 >&2
  fi
done
exit $status
