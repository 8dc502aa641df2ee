#!/usr/bin/env bash
# Second command of the README (and what CI runs): build and run the whole test suite, then every
# test that runs fourp's code again under AddressSanitizer + UndefinedBehaviorSanitizer, then
# fuzz every input reader, 1,000 inputs each from a fixed seed (scripts/fuzz.sh).
# FOURP_SKIP_SLOW=1 skips the long statistical checks (CTest label `slow`) for a quick local run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/mutate.sh --check  # the mutation list still applies (a second; also the CTest test)
jobs=$(nproc)
exclude=()
[ "${FOURP_SKIP_SLOW:-0}" = 1 ] && exclude=(-LE slow)

start=$SECONDS
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Release -DFOURP_BUILD_TESTS=ON >/dev/null
cmake --build build-test -j"$jobs"
(cd build-test && ctest --output-on-failure -j"$jobs" "${exclude[@]}")
echo "test.sh: build and tests took $((SECONDS - start)) s" >&2

# The sanitizer pass: every label but four. In-process: unit, scenario, stat, report, csv,
# verification. [cli] tests start the `fourp` program of this build, itself sanitized: a report
# there ends the program with a failing exit status, which the tests check. Left out:
#   slow     the long statistical checks (10⁵-agent networks, thousands of runs, kills at random
#            times) would take hours unoptimised, and they repeat at scale code that the other
#            tests run here;
#   many_runs  checks quick optimised but not here, each of many whole simulations whose code
#            smaller tests run here: the independent-cascade verification (20,000 runs; 561 s
#            of this pass's 836 s alone on one core), and five calibrations and optimisations
#            (233, 145, 87, 85 and 73 s here in CI's run of 2026-12-02: the sampler, the
#            optimiser and both commands keep their [unit], [scenario] and [cli] tests here,
#            --resume of calibrate and optimise among them);
#   browser  what it adds is Chromium rendering a report that the [report] and [cli] tests
#            already write under the sanitizers;
#   mpi      OpenMPI's libraries are not sanitized: LeakSanitizer reports leaks inside libmpi
#            (ompi_op_base_op_select) and its plugins at every rank's exit; the sweep code MPI
#            drives runs here through the serial and sharded [cli] sweeps.
# Measured 2026-12-02 on 2 cores shared with other builds: the sanitized build 34 min wall
# (11 min of CPU), these 311 tests 403 s wall (3.5 min of CPU; [cli] 200 s·proc, [stat] 80,
# [report] 29, [csv] 10, [verification] 19, the rest [unit] and [scenario] as before).
start=$SECONDS
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DFOURP_SANITIZE=ON -DFOURP_BUILD_TESTS=ON >/dev/null
cmake --build build-asan -j"$jobs"
# HDF5 keeps memory it allocated while opening a damaged object (tests/data/hostile/*.h5, which
# `fourp report` refuses with exit 2): its leaks are suppressed, as in scripts/fuzz.sh.
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
   LSAN_OPTIONS="suppressions=$PWD/../fuzz/lsan.supp" \
   ctest --output-on-failure -j"$jobs" -LE "slow|many_runs|browser|mpi")
echo "test.sh: sanitizer build and tests took $((SECONDS - start)) s" >&2

# Every reader of user-supplied bytes under libFuzzer (scripts/fuzz.sh; clang): 1,000 inputs a
# target from a fixed seed, the same on every run (a longer random search is a developer's:
# scripts/fuzz.sh 3600), at most 60 s each. fuzz_results_file too since the results-file reader
# checks what HDF5 1.10 would trust unchecked (docs/reliability.md): its 1,000 inputs took 9 to
# 17 s (seeds 1, 2, 3; 2 shared cores).
start=$SECONDS
rm -rf build-fuzz/corpus  # CI starts from the seeds alone: what a run adds must not change the next
FOURP_FUZZ_SEED=1 FOURP_FUZZ_RUNS=1000 scripts/fuzz.sh 60
echo "test.sh: fuzzing took $((SECONDS - start)) s" >&2
