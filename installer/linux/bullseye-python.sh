#!/usr/bin/env bash
# A Debian 11 (bullseye) build root with a Python 3.11 built from source inside it, for the
# bundles of the older 信创 desktops (docs/platforms.md): bullseye has only Python 3.9, and a
# bundle built there needs no newer glibc than bullseye's 2.31.
#
# Usage: bullseye-python.sh ARCH   (amd64 or arm64; arm64 on an amd64 machine runs under
# qemu-user-static, see installer/linux/bullseye-deb.sh). Prints the root's path.
#
# The root is cached in $JIXIAO_BUILD_CACHE (default /var/cache/jixiao-build) under a key made
# of this script's own text: a changed script, or a missing cache (a new machine, a clean
# clone), builds it anew from the package mirror, and nothing else. Nothing here is
# downloaded from outside the Debian mirror apt uses: the CPython source is the
# .orig.tarball of Debian 12's python3.11 source package, found in the mirror's signed
# Sources index (InRelease checked with gpgv against debian-archive-keyring, then the
# Sources file's and the tarball's SHA-256).
set -euo pipefail
arch=${1:?usage: bullseye-python.sh amd64|arm64}
mirror=http://deb.debian.org/debian
cache=${JIXIAO_BUILD_CACHE:-/var/cache/jixiao-build}
key=$(sha256sum "$0" | cut -c1-12)
root=$cache/bullseye-$arch-$key
[ "$(id -u)" -eq 0 ] || { echo "bullseye-python.sh needs root (debootstrap, chroot)" >&2; exit 1; }
if [ -x "$root/opt/python3.11/bin/python3.11" ]; then
  echo "$root"
  exit 0
fi
# The build tools of the root, and what CPython's modules need: ssl (pip), sqlite3 (.jxdb),
# ctypes (libffi), zlib, bz2, lzma, uuid; binutils for PyInstaller and objdump.
packages=git,make,ca-certificates,curl,xz-utils,build-essential,pkg-config,libssl-dev,\
zlib1g-dev,libffi-dev,libsqlite3-dev,libbz2-dev,liblzma-dev,uuid-dev,binutils,dpkg-dev,icu-devtools

work=$root.partial
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
mkdir -p "$work" "$cache"
start=$SECONDS

# 1. the root
if [ "$arch" != "$(dpkg --print-architecture)" ]; then
  [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || {
    echo "no binfmt_misc entry for qemu-aarch64: install qemu-user-static (and mount" \
      "binfmt_misc), see installer/linux/bullseye-deb.sh" >&2
    exit 1
  }
fi
debootstrap --arch="$arch" --variant=minbase --include="$packages" \
  --keyring=/usr/share/keyrings/debian-archive-keyring.gpg bullseye "$work" "$mirror" \
  >"$cache/debootstrap-$arch.log" 2>&1 || { tail -20 "$cache/debootstrap-$arch.log" >&2; exit 1; }
echo "bullseye $arch root: $((SECONDS - start)) s" >&2

# 2. the CPython source, from the mirror's signed index of Debian 12's source packages
source_dir=$cache/sources
mkdir -p "$source_dir"
curl -fsS -o "$source_dir/InRelease" "$mirror/dists/bookworm/InRelease"
gpgv --keyring /usr/share/keyrings/debian-archive-keyring.gpg --output "$source_dir/Release" \
  "$source_dir/InRelease" 2>/dev/null
sources_sha=$(awk '/^SHA256:/ { on = 1; next } /^[^ ]/ { on = 0 }
  on && $3 == "main/source/Sources.xz" { print $1 }' "$source_dir/Release")
curl -fsS -o "$source_dir/Sources.xz" "$mirror/dists/bookworm/main/source/Sources.xz"
echo "$sources_sha  $source_dir/Sources.xz" | sha256sum --quiet -c -
read -r directory tarball tarball_sha < <(xz -dc "$source_dir/Sources.xz" | awk '
  /^Package: / { package = $2 } /^Directory: / { directory = $2 }
  /^Checksums-Sha256:/ { on = 1; next } /^[^ ]/ { on = 0 }
  on && $3 ~ /\.orig\.tar\.(gz|xz)$/ { tarball = $3; sha = $1 }
  /^$/ { if (package == "python3.11") { print directory, tarball, sha; exit } package = "" }')
[ -f "$source_dir/$tarball" ] || curl -fsS -o "$source_dir/$tarball" "$mirror/$directory/$tarball"
echo "$tarball_sha  $source_dir/$tarball" | sha256sum --quiet -c -

# 3. CPython 3.11 built inside the root (its gcc, its glibc), shared libpython for
# PyInstaller, installed under /opt/python3.11 with pip from the source's own ensurepip
mkdir -p "$work/usr/src/python"
tar -xf "$source_dir/$tarball" -C "$work/usr/src/python" --strip-components=1
for fs in proc sys dev; do
  mount --rbind "/$fs" "$work/$fs" && mount --make-rslave "$work/$fs" && mounted+=("$work/$fs")
done
begun=$SECONDS
chroot "$work" /usr/bin/env -i HOME=/root LANG=C.UTF-8 PATH=/usr/sbin:/usr/bin:/sbin:/bin \
  bash -c 'set -e
    cd /usr/src/python
    ./configure --prefix=/opt/python3.11 --enable-shared LDFLAGS=-Wl,-rpath,/opt/python3.11/lib \
      --with-ensurepip=install >/tmp/configure.log 2>&1 || { tail -30 /tmp/configure.log; exit 1; }
    make -j"$(nproc)" >/tmp/make.log 2>&1 || { tail -40 /tmp/make.log; exit 1; }
    make install >/tmp/install.log 2>&1 || { tail -40 /tmp/install.log; exit 1; }
    /opt/python3.11/bin/python3.11 -c "import ssl, sqlite3, ctypes, zlib, bz2, lzma, uuid"'
echo "Python 3.11 built in the $arch root: $((SECONDS - begun)) s" >&2
cleanup
mounted=()
rm -rf "$work/usr/src/python"
mv "$work" "$root"
echo "$root"
