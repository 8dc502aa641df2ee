#!/usr/bin/env bash
# Installs the Debian 12 packages fourp needs, only those missing (apt-get; sudo when not root).
set -euo pipefail
packages=(build-essential cmake libboost-graph-dev libtbb-dev libyaml-cpp-dev libhdf5-dev catch2
          librandom123-dev libcli11-dev libfmt-dev libopenmpi-dev openmpi-bin hdf5-tools
          python3-h5py python3-pandas chromium clang-format strace)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "fourp: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
