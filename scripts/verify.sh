#!/usr/bin/env bash
# Verification (README "Verification"): builds fourp, runs the test suite's `verification` label
# (the reference models against known results, and the prevention model's invariants), then
# regenerates docs/verification.md — theory against simulation — with fourp_verify, recording how
# long the suite took. Stops, leaving docs/verification.md as it was, when a check fails.
# What follows the line `<!-- Written by hand from here on: scripts/verify.sh keeps it. -->`
# (the mutation-testing section) is not generated: it is carried over unchanged.
# FOURP_BUILD_DIR picks the build folder (default build-verify).
set -euo pipefail
trap 'rm -f docs/verification.md.tmp' EXIT
cd "$(dirname "$0")/.."
scripts/install-deps.sh
build=${FOURP_BUILD_DIR:-build-verify}
jobs=$(nproc)

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DFOURP_BUILD_TESTS=ON >/dev/null
cmake --build "$build" -j"$jobs"

start=$(date +%s)
(cd "$build" && ctest --output-on-failure -j"$jobs" -L verification)
suite=$(($(date +%s) - start))

"$build/verification/fourp_verify" --suite-seconds "$suite" >docs/verification.md.tmp
marker='<!-- Written by hand from here on: scripts/verify.sh keeps it. -->'
if grep -qxF -- "$marker" docs/verification.md; then
  { echo; awk -v m="$marker" 'kept || $0 == m { kept = 1; print }' docs/verification.md; } \
    >>docs/verification.md.tmp
fi
mv docs/verification.md.tmp docs/verification.md
echo "verify: the suite took ${suite} s; wrote docs/verification.md" >&2
