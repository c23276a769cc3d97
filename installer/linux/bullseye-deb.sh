#!/usr/bin/env bash
# The 信创 packages (issue 25, docs/platforms.md): dist/bullseye/jixiao_<version>_<arch>.deb,
# built in a Debian 11 root, so that no binary of the bundle needs a newer glibc than 2.31.
#   make deb-bullseye   → bash installer/linux/bullseye-deb.sh amd64
#   make deb-arm64      → bash installer/linux/bullseye-deb.sh arm64 (under qemu-user-static)
# Steps: the cached root with its own Python 3.11 (installer/linux/bullseye-python.sh) and
# the system packages of `make deb`; a copy of it in build/bullseye-<arch>/root; this
# working tree copied in (tracked and untracked files, not ignored ones); there `make
# bundle` with that Python and a lock file derived from requirements.lock (QT_FOR_PYTHON
# below instead of the development line, without the development-only import-linter and
# grimp, which have no wheel for glibc 2.31); installer/tools/glibc_floor.py measures the
# bundle and fails above 2.31, and the figure is written beside the package
# (dist/bullseye/jixiao_<version>_<arch>.glibc; tests/test_glibc_floor.py checks the
# README's platform table against it); then build-deb.sh writes the package tree (Depends
# from dpkg-shlibdeps, which needs the root's libraries) and this machine's dpkg-deb packs
# it (xz under emulation takes minutes; the same dpkg-deb format either way).
# Needs root (debootstrap, chroot, mount). Prints how long each step took.
# What is cached in /var/cache/jixiao-build, each keyed by what it is made of and made anew
# when absent: the root with Python; a copy of it with the system packages `make deb`
# installs (keyed by that root and installer/system-deps.sh); the build's .venv (keyed by
# that root, the lock files and what pyproject.toml says to install: [project],
# [build-system], [tool.setuptools]; not the other tools' settings, which change often);
# PyInstaller's cache of stripped binaries (PyInstaller's own, by each file's digest); the
# pip cache is this machine's. Under emulation each takes minutes to make; the bundle and
# the package are built anew from this working tree each time.
set -euo pipefail
cd "$(dirname "$0")/../.."
arch=${1:?usage: bullseye-deb.sh amd64|arm64}
# The Qt for Python line of the 信创 packages: the newest with aarch64 wheels for glibc 2.31
# (manylinux_2_31), used on x86_64 too (manylinux_2_28); docs/platforms.md says why.
QT_FOR_PYTHON=6.8.0.2
GLIBC_AT_MOST=2.31
[ "$(id -u)" -eq 0 ] || { echo "bullseye-deb.sh needs root (debootstrap, chroot)" >&2; exit 1; }

if [ "$arch" != "$(dpkg --print-architecture)" ]; then
  bash installer/linux/emulation.sh "$arch"
fi
begun=$SECONDS
cached=$(bash installer/linux/bullseye-python.sh "$arch" | tail -1)
echo "--- bullseye $arch root with Python 3.11: $((SECONDS - begun)) s"

cache=$(dirname "$cached")
work=$(realpath -m "build/bullseye-$arch")
root=$work/root
mounted=()
cleanup() {
  local index
  for ((index = ${#mounted[@]} - 1; index >= 0; index--)); do
    umount -l "${mounted[index]}" 2>/dev/null || true
  done
  mounted=()
}
trap cleanup EXIT
unmount_under() {  # a run killed before its trap leaves its mounts: never delete through one
  awk -v prefix="$1" 'index($2, prefix) == 1 { print $2 }' /proc/mounts | sort -r \
    | while read -r mount; do umount -l "$mount"; done
}
mount_system() {
  for fs in proc sys dev; do
    mount --rbind "/$fs" "$1/$fs" && mount --make-rslave "$1/$fs" && mounted+=("$1/$fs")
  done
}
in_root() {  # in_root ROOT COMMAND...: as root in the chroot, with a clean environment
  local root=$1
  shift
  chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}
this_machine() {  # this machine's name servers, certificate authorities (the bundle file as
  # this machine made it: update-ca-certificates in the root takes a minute under emulation)
  # and pip configuration (package indexes, certificate), as .ci/fresh-debian.sh gives its roots
  cp /etc/resolv.conf "$1/etc/resolv.conf"
  cp /usr/local/share/ca-certificates/*.crt "$1/usr/local/share/ca-certificates/" 2>/dev/null || true
  cp /etc/ssl/certs/ca-certificates.crt "$1/etc/ssl/certs/ca-certificates.crt"
  [ ! -f /etc/pip.conf ] || cp /etc/pip.conf "$1/etc/pip.conf"
  [ ! -d /etc/xdg/pip ] || { mkdir -p "$1/etc/xdg"; cp -r /etc/xdg/pip "$1/etc/xdg/pip"; }
}

# The root with the system packages `make deb` needs (installer/system-deps.sh bundle: the
# libraries the bundle links, for dpkg-shlibdeps, and the build tools), cached
begun=$SECONDS
packaged=$cached-deps-$(sha256sum installer/system-deps.sh | cut -c1-12)
if [ ! -d "$packaged" ]; then
  for stale in "$cached"-deps-*; do  # other package lists, and runs that were killed
    [ ! -e "$stale" ] || { unmount_under "$stale/"; rm -rf --one-file-system "$stale"; }
  done
  partial=$packaged.partial.$$
  cp -a "$cached" "$partial"
  mount_system "$partial"
  this_machine "$partial"
  cp installer/system-deps.sh "$partial/tmp/system-deps.sh"
  in_root "$partial" bash /tmp/system-deps.sh bundle
  in_root "$partial" apt-get clean
  rm -rf "$partial/tmp/system-deps.sh" "$partial/var/lib/apt/lists/"*
  cleanup
  mv -T "$partial" "$packaged" 2>/dev/null || rm -rf --one-file-system "$partial"
fi
echo "--- bullseye $arch root with the build's system packages: $((SECONDS - begun)) s"

unmount_under "$work/"
rm -rf --one-file-system "$work"
mkdir -p "$work"
begun=$SECONDS
cp -a "$packaged" "$root"
echo "--- the root copied: $((SECONDS - begun)) s"
mount_system "$root"
this_machine "$root"
# this machine's pip cache (the wheels are the same whatever root installs them) and a
# PyInstaller cache of its own for this root (stripped binaries, by digest)
mkdir -p "$root/root/jixiao" "$root/root/.cache/pip" /root/.cache/pip \
  "$root/root/.cache/pyinstaller" "$cache/pyinstaller-bullseye-$arch"
mount --bind /root/.cache/pip "$root/root/.cache/pip" && mounted+=("$root/root/.cache/pip")
mount --bind "$cache/pyinstaller-bullseye-$arch" "$root/root/.cache/pyinstaller" \
  && mounted+=("$root/root/.cache/pyinstaller")
git ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done \
  | tar --null -T - -cf - | tar -xf - -C "$root/root/jixiao"
mkdir -p "$root/root/jixiao/build"
lock=$root/root/jixiao/build/requirements-bullseye.lock
sed -E -e "s/^(PySide6_Addons|PySide6_Essentials|shiboken6)==.*/\1==$QT_FOR_PYTHON/" \
  -e '/^(grimp|import-linter)==/d' requirements.lock >"$lock"
# The build's .venv, cached: what the Makefile would install from the same lock files with
# the same Python (its stamps touched, so that make takes it as up to date)
project=$(python3 -c 'import json, tomllib
data = tomllib.load(open("pyproject.toml", "rb"))
installs = [data.get("project"), data.get("build-system"), data.get("tool", {}).get("setuptools")]
print(json.dumps(installs, sort_keys=True))' \
  2>/dev/null || cat pyproject.toml)  # a Python before 3.11 has no tomllib: the whole file
venv=$cache/venv-bullseye-$arch-$(cat <(echo "$cached") "$lock" installer/requirements-build.lock \
  <(echo "$project") | sha256sum | cut -c1-12)
if [ -d "$venv" ]; then
  begun=$SECONDS
  cp -a "$venv" "$root/root/jixiao/.venv"
  touch "$root/root/jixiao/.venv/.installed"
  touch "$root/root/jixiao/.venv/.build-installed"
  echo "--- the build's .venv from the cache: $((SECONDS - begun)) s"
fi

begun=$SECONDS
in_root "$root" bash -c '
    set -e
    cd /root/jixiao
    make bundle PYTHON=/opt/python3.11/bin/python3.11 LOCK=build/requirements-bullseye.lock
    .venv/bin/python installer/tools/glibc_floor.py dist/jixiao --at-most '"$GLIBC_AT_MOST"' \
      | tee build/glibc-floor.txt'
echo "--- make bundle in the bullseye $arch root: $((SECONDS - begun)) s"
if [ ! -d "$venv" ]; then
  rm -rf "$cache/venv-bullseye-$arch-"*
  cp -a "$root/root/jixiao/.venv" "$venv.partial.$$"
  mv -T "$venv.partial.$$" "$venv" 2>/dev/null || rm -rf "$venv.partial.$$"
fi
begun=$SECONDS
in_root "$root" bash -c 'cd /root/jixiao && JIXIAO_DEB_TREE_ONLY=1 bash installer/linux/build-deb.sh'
echo "--- the package tree (dpkg-shlibdeps) in the bullseye $arch root: $((SECONDS - begun)) s"

version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' desktop/__init__.py)
mkdir -p dist/bullseye
deb=dist/bullseye/jixiao_${version}_${arch}.deb
begun=$SECONDS
dpkg-deb --root-owner-group -Zxz --build "$root/root/jixiao/build/deb/root" "$deb" >/dev/null
echo "--- dpkg-deb (xz) here: $((SECONDS - begun)) s"
cp "$root/root/jixiao/build/glibc-floor.txt" "${deb%.deb}.glibc"
echo "$deb: $(du -h "$deb" | cut -f1), needs $(cut -d' ' -f1 "${deb%.deb}.glibc")"
