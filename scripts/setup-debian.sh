#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what building and testing Lifeline needs on Debian 12 (bookworm), then configures and
# builds into ./build. Uses sudo when not root. Safe to run again: apt skips what is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake ninja-build pkg-config
          qt6-base-dev qt6-base-dev-tools qt6-svg-dev libgl-dev
          fonts-dejavu-core xvfb xauth
          file  # cpack -G DEB finds the ELF files for dpkg-shlibdeps (dpkg-dev) with it
          python3-jsonschema  # checks the schema in tests/docs (Debian's /usr/bin/python3)
          clang-format-14 git)  # the pinned formatter scripts/check-source.sh runs (test `source`)
# python3 is the differential tests' oracle; keep one already on PATH (it may be newer).
command -v python3 >/dev/null 2>&1 || packages+=(python3)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --parallel "$(nproc)"
