#!/usr/bin/env bash
# Installs the Debian 12 packages fourp needs, only those missing (apt-get; sudo when not root).
# Every one is required, the test tools too: a test whose tool is missing is skipped locally but
# fails under CI=true (tests/support/test_support.h, skip_or_fail).
set -euo pipefail
packages=(build-essential cmake libboost-graph-dev libtbb-dev libyaml-cpp-dev libhdf5-dev catch2
          librandom123-dev libcli11-dev libfmt-dev libnlopt-cxx-dev libopenmpi-dev openmpi-bin hdf5-tools clang-format
          # test tools (besides openmpi-bin's mpirun): h5py and pandas (the documented readers),
          # Chromium (the report renders), strace (a sweep killed at each step of its final
          # write: tests/app/test_sweep_cli.cpp), clang with libFuzzer (scripts/fuzz.sh)
          python3-h5py python3-pandas chromium strace clang libclang-rt-14-dev
          # fourp serve (issue 14): the HTTP server, JSON and the CSV zip
          libcpp-httplib-dev nlohmann-json3-dev libzip-dev)
# The web app's browser tests (tests/browser/) run on Node: Debian's, unless a node is already
# on PATH (the development machines have NodeSource's, which Debian's npm would conflict with).
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)

missing_of() {
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
apt_install() {
  $sudo apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

mapfile -t missing < <(missing_of "${packages[@]}")
if [ ${#missing[@]} -gt 0 ]; then
  echo "fourp: installing ${missing[*]}" >&2
  apt_install "${missing[@]}"
fi

# playwright-core for the browser tests, at the versions of tests/browser/package-lock.json;
# again only when node_modules is missing or older than the lock file. It drives Debian's
# Chromium (above): no browser is downloaded (never `npx playwright install`).
browser_tests="$(cd "$(dirname "$0")/.." && pwd)/tests/browser"
if [ ! -d "$browser_tests/node_modules" ] ||
   [ "$browser_tests/package-lock.json" -nt "$browser_tests/node_modules" ]; then
  echo "fourp: installing the browser tests' npm packages (npm ci in tests/browser)" >&2
  npm ci --prefix "$browser_tests" --no-audit --no-fund --loglevel=error >/dev/null
  touch "$browser_tests/node_modules"
fi
exit 0
