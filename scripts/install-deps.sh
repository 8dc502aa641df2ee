#!/usr/bin/env bash
# Installs the Debian 12 packages fourp needs, only those missing (apt-get; sudo when not root).
# Optional ones (a test tool) are tried after: without them one test is skipped, with a warning.
set -euo pipefail
packages=(build-essential cmake libboost-graph-dev libtbb-dev libyaml-cpp-dev libhdf5-dev catch2
          librandom123-dev libcli11-dev libfmt-dev libopenmpi-dev openmpi-bin hdf5-tools
          python3-h5py python3-pandas chromium clang-format
          clang libclang-rt-14-dev)  # libFuzzer for scripts/fuzz.sh
optional=(strace)  # kills a sweep at each step of its final write (tests/app/test_sweep_cli.cpp)

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
mapfile -t missing < <(missing_of "${optional[@]}")
if [ ${#missing[@]} -gt 0 ]; then
  echo "fourp: installing ${missing[*]} (optional)" >&2
  apt_install "${missing[@]}" || echo "fourp: could not install ${missing[*]}: a test will be skipped" >&2
fi
exit 0
