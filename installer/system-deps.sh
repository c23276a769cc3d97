#!/usr/bin/env bash
# Debian packages Qt 6 (PySide6 wheels) needs at run time, plus the tools the tests,
# screenshots, `make bundle` (binutils for PyInstaller; gcc and icu-devtools for its trimmed
# ICU data, installer/tools/trim_icu.py) and `make deb` (dpkg-dev for
# dpkg-shlibdeps; shared-mime-info and desktop-file-utils to check the package) and the
# Excel tests (LibreOffice) use.
# As root with apt-get: installs what is missing. Otherwise: names it.
# --input-method-test adds a fcitx5 desktop with 五笔 for the Chinese-input test of the bundle
# (tests/test_bundle.py; CI passes it). Not by default: fcitx5 would start at a developer's login.
set -euo pipefail
# (found with ldd on the Qt libraries and the offscreen/xcb platform plugins of PySide6 6.12)
packages=(
  libgl1 libegl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3
  libxkbcommon0 libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1
  libcups2 xvfb xauth poppler-utils
  binutils gcc icu-devtools dpkg-dev shared-mime-info desktop-file-utils
  libreoffice-calc-nogui  # the Excel tests print and re-save workbooks with a third program
)
if [ "${1:-}" = "--input-method-test" ]; then
  packages+=(fcitx5 fcitx5-table dbus-x11 xdotool)
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null && [ "$(id -u)" -eq 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "Please install these system packages first (as root):" >&2
  echo "  apt-get install ${missing[*]}" >&2
  exit 1
fi
