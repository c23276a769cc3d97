#!/usr/bin/env bash
# The Debian 12 packages a command of the Makefile needs, by set:
#   run     Python 3 with venv and the libraries Qt 6 (the PySide6 wheels) loads at run time
#           (found with ldd on the Qt libraries and the offscreen/xcb platform plugins)
#   test    run + the tools the tests call: Xvfb, poppler-utils (pdftotext, pdftoppm),
#           LibreOffice (the Excel tests re-save workbooks with a third program), binutils,
#           gcc and icu-devtools (the trimmed ICU data, installer/tools/trim_icu.py),
#           shared-mime-info and desktop-file-utils (the .deb's MIME type and menu entry),
#           cups-daemon, cups-client and cups-pdf (tests/test_cups.py prints through CUPS)
#   bundle  run + the build tools of `make bundle` and `make deb`: libpython3.11 (PyInstaller
#           bundles the shared Python library), binutils, gcc, icu-devtools, dpkg-dev
#           (dpkg-shlibdeps computes the .deb's Depends)
#   collection  the PostgreSQL server (Debian's postgresql) for the tests of a finance
#           bureau's collection database (tests/test_collection.py starts a private one;
#           .ci/run asks for it). Never by default: the package starts a server at boot.
#   fresh-root  debootstrap and the Debian archive keys: the bootstrapped roots of
#           `make deb-bullseye`, `make deb-arm64`, `make fresh-bullseye` and .ci/fresh-debian.sh
#   input-method  a fcitx5 desktop with 五笔 for the Chinese-input test of the bundle
#           (tests/test_bundle.py; .ci/run asks for it). Never by default: fcitx5 would start
#           at a developer's login.
# Usage: system-deps.sh SET... (default: run). As root with apt-get: installs what is
# missing, without recommended packages. Otherwise: prints the one apt-get line to run as
# root, in Chinese and English, and fails.
set -euo pipefail
run=(
  python3 python3-venv
  libgl1 libegl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3
  libxkbcommon0 libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libcups2
)
# Qt 6.8's arm64 xcb platform plugin (the 信创 arm64 package, docs/platforms.md) also links
# libSM and libICE; dpkg-shlibdeps can put them in the .deb's Depends only when installed
if [ "$(dpkg --print-architecture 2>/dev/null)" = arm64 ]; then
  run+=(libsm6 libice6)
fi
test=(
  xvfb xauth poppler-utils libreoffice-calc-nogui libreoffice-writer-nogui binutils gcc icu-devtools
  shared-mime-info desktop-file-utils
  # the real print path (tests/test_cups.py): a private cupsd with a cups-pdf queue
  cups-daemon cups-client cups-pdf
)
# Debian 12's python3 is 3.11 (the Makefile takes python3.11 first). Debian 11 has no
# Python 3.11: there the 信创 build uses the one installer/linux/bullseye-python.sh
# compiles, which brings its own libpython.
bundle=(libpython3.11 binutils gcc icu-devtools dpkg-dev)
if grep -qs '^VERSION_ID="11"' /etc/os-release; then
  bundle=(binutils gcc icu-devtools dpkg-dev)
fi
input_method=(fcitx5 fcitx5-table dbus-x11 xdotool)
collection=(postgresql)
fresh_root=(debootstrap debian-archive-keyring)

[ $# -gt 0 ] || set -- run
packages=("${run[@]}")
for set in "$@"; do
  case "$set" in
    run) ;;
    test) packages+=("${test[@]}") ;;
    bundle) packages+=("${bundle[@]}") ;;
    input-method) packages+=("${input_method[@]}") ;;
    collection) packages+=("${collection[@]}") ;;
    fresh-root) packages+=("${fresh_root[@]}") ;;
    *) echo "system-deps.sh: 未知的软件包组 / unknown set: $set (run, test, bundle, input-method, collection, fresh-root)" >&2
       exit 2 ;;
  esac
done
missing=()
for package in "${packages[@]}"; do
  [[ " ${missing[*]} " == *" $package "* ]] && continue
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null && [ "$(id -u)" -eq 0 ]; then
  echo "正在安装系统软件包 / Installing system packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  cat >&2 <<MESSAGE
缺少系统软件包。请以 root 身份（例如用 sudo）运行下面这一行，然后重新运行 make：
Missing system packages. Run this line as root (e.g. with sudo), then run make again:

  apt-get install --no-install-recommends ${missing[*]}

MESSAGE
  exit 1
fi
