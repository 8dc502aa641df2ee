#!/usr/bin/env bash
# Second command of the README (and what CI runs): build and run the whole test suite, then the
# unit and scenario tests again under AddressSanitizer + UndefinedBehaviorSanitizer, then fuzzes
# the input readers for 30 s each (scripts/fuzz.sh).
# FOURP_SKIP_SLOW=1 skips the long statistical checks (CTest label `slow`) for a quick local run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)
exclude=()
[ "${FOURP_SKIP_SLOW:-0}" = 1 ] && exclude=(-LE slow)

cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Release -DFOURP_BUILD_TESTS=ON >/dev/null
cmake --build build-test -j"$jobs"
(cd build-test && ctest --output-on-failure -j"$jobs" "${exclude[@]}")

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DFOURP_SANITIZE=ON -DFOURP_BUILD_TESTS=ON >/dev/null
cmake --build build-asan -j"$jobs"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
   ctest --output-on-failure -j"$jobs" -L "unit|scenario" -LE slow)

# Every reader of user-supplied bytes under libFuzzer, 30 s each (scripts/fuzz.sh; clang).
scripts/fuzz.sh 30
