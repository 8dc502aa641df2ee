#!/usr/bin/env bash
# First command of the README: install what is missing, build, and run the flagship comparison
# (scenarios/rural-district.yaml), writing results/rural-district.h5 and its report,
# results/rural-district.html (open it in any browser; it needs no network).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DFOURP_BUILD_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)" --target fourp
mkdir -p results
build/app/fourp run scenarios/rural-district.yaml -o results/rural-district.h5 \
  --report results/rural-district.html --overwrite "$@"
echo "Report: $(pwd)/results/rural-district.html"
echo "The same in the web app: build/app/fourp serve --open"
