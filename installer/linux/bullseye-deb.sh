#!/usr/bin/env bash
# The 信创 packages (issue 25, docs/platforms.md): dist/bullseye/jixiao_<version>_<arch>.deb,
# built in a Debian 11 root, so that no binary of the bundle needs a newer glibc than 2.31.
#   make deb-bullseye   → bash installer/linux/bullseye-deb.sh amd64
#   make deb-arm64      → bash installer/linux/bullseye-deb.sh arm64 (under qemu-user-static)
# Steps: the cached root with its own Python 3.11 (installer/linux/bullseye-python.sh); a
# copy of it in build/bullseye-<arch>/root; this working tree copied in (tracked and
# untracked files, not ignored ones); there `make deb` with that Python and a lock file
# derived from requirements.lock (QT_FOR_PYTHON below instead of the development line,
# without the development-only import-linter and grimp, which have no wheel for glibc
# 2.31); then installer/tools/glibc_floor.py measures the bundle and fails above 2.31,
# and the figure is written beside the package (dist/bullseye/jixiao_<version>_<arch>.glibc;
# tests/test_glibc_floor.py checks the README's platform table against it).
# Needs root (debootstrap, chroot, mount). Prints how long each step took.
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

work=$(realpath -m "build/bullseye-$arch")
root=$work/root
mounted=()
cleanup() {
  local index
  for ((index = ${#mounted[@]} - 1; index >= 0; index--)); do
    umount -l "${mounted[index]}" 2>/dev/null || true
  done
}
trap cleanup EXIT
awk -v prefix="$work/" 'index($2, prefix) == 1 { print $2 }' /proc/mounts | sort -r \
  | while read -r mount; do umount -l "$mount"; done
rm -rf --one-file-system "$work"
mkdir -p "$work"
cp -a "$cached" "$root"
for fs in proc sys dev; do
  mount --rbind "/$fs" "$root/$fs" && mount --make-rslave "$root/$fs" && mounted+=("$root/$fs")
done
# this machine's name servers, certificate authorities and pip configuration (package
# indexes, certificate), as .ci/fresh-debian.sh gives its roots
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/" 2>/dev/null || true
chroot "$root" update-ca-certificates >/dev/null
[ ! -f /etc/pip.conf ] || cp /etc/pip.conf "$root/etc/pip.conf"
[ ! -d /etc/xdg/pip ] || { mkdir -p "$root/etc/xdg"; cp -r /etc/xdg/pip "$root/etc/xdg/pip"; }
# this machine's pip cache (the wheels are the same whatever root installs them)
mkdir -p "$root/root/jixiao" "$root/root/.cache/pip" /root/.cache/pip
mount --bind /root/.cache/pip "$root/root/.cache/pip" && mounted+=("$root/root/.cache/pip")
git ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done \
  | tar --null -T - -cf - | tar -xf - -C "$root/root/jixiao"
mkdir -p "$root/root/jixiao/build"
sed -E -e "s/^(PySide6_Addons|PySide6_Essentials|shiboken6)==.*/\1==$QT_FOR_PYTHON/" \
  -e '/^(grimp|import-linter)==/d' requirements.lock >"$root/root/jixiao/build/requirements-bullseye.lock"

begun=$SECONDS
chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin bash -c '
    set -e
    cd /root/jixiao
    make deb PYTHON=/opt/python3.11/bin/python3.11 LOCK=build/requirements-bullseye.lock
    .venv/bin/python installer/tools/glibc_floor.py dist/jixiao --at-most '"$GLIBC_AT_MOST"' \
      | tee build/glibc-floor.txt'
echo "--- make deb in the bullseye $arch root: $((SECONDS - begun)) s"

version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' desktop/__init__.py)
mkdir -p dist/bullseye
deb=dist/bullseye/jixiao_${version}_${arch}.deb
cp "$root/root/jixiao/dist/jixiao_${version}_${arch}.deb" "$deb"
cp "$root/root/jixiao/build/glibc-floor.txt" "${deb%.deb}.glibc"
echo "$deb: $(du -h "$deb" | cut -f1), needs $(cut -d' ' -f1 "${deb%.deb}.glibc")"
