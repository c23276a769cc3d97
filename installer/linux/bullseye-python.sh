#!/usr/bin/env bash
# A Debian 11 (bullseye) build root with a Python 3.11 built from source for it, for the
# bundles of the older 信创 desktops (docs/platforms.md): bullseye has only Python 3.9, and a
# bundle built there needs no newer glibc than bullseye's 2.31.
#
# Usage: bullseye-python.sh ARCH   (amd64 or arm64; an arm64 root on an amd64 machine runs
# under qemu-user-static: installer/linux/emulation.sh first). Prints the root's path.
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

# 3. CPython 3.11 for the root, against its glibc, shared libpython for PyInstaller, under
# /opt/python3.11 with pip from the source's own ensurepip. This machine's architecture:
# compiled inside the root with its gcc. Another one (arm64): cross-compiled here with
# Debian's aarch64 cross gcc and the root as sysroot (its headers, glibc 2.31, -dev
# libraries), Debian 12's python3.11 as the build Python, installed into the root, then
# tried there under emulation. Why not compile under emulation: measured, the arm64 root's
# configure alone ran more than 6 minutes (natively the whole build takes 4), the root's
# debootstrap 644 s; a cross build takes minutes.
mkdir -p "$work/usr/src/python"
tar -xf "$source_dir/$tarball" -C "$work/usr/src/python" --strip-components=1
for fs in proc sys dev; do
  mount --rbind "/$fs" "$work/$fs" && mount --make-rslave "$work/$fs" && mounted+=("$work/$fs")
done
in_root() {
  chroot "$work" /usr/bin/env -i HOME=/root LANG=C.UTF-8 PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"
}
begun=$SECONDS
if [ "$arch" = "$(dpkg --print-architecture)" ]; then
  in_root bash -c 'set -e
    cd /usr/src/python
    ./configure --prefix=/opt/python3.11 --enable-shared LDFLAGS=-Wl,-rpath,/opt/python3.11/lib \
      --with-ensurepip=install >/tmp/configure.log 2>&1 || { tail -30 /tmp/configure.log; exit 1; }
    make -j"$(nproc)" >/tmp/make.log 2>&1 || { tail -40 /tmp/make.log; exit 1; }
    make install >/tmp/install.log 2>&1 || { tail -40 /tmp/install.log; exit 1; }'
else
  case $arch in
    arm64) triplet=aarch64-linux-gnu ;;
    *) echo "bullseye-python.sh: no cross compiler known for $arch" >&2; exit 2 ;;
  esac
  cross=(gcc-$triplet pkg-config python3.11 make)
  for package in "${cross[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || {
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${cross[@]}" >/dev/null
      break
    }
  done
  # a sysroot for the cross linker: the root's absolute library links (libpthread.so ->
  # /lib/…/libpthread.so.0) made relative, so that they resolve inside the root; its
  # libgcc_s first, not the cross compiler's (gcc 12's needs GLIBC_2.35)
  find "$work/usr/lib/$triplet" -maxdepth 1 -type l -lname '/*' | while read -r link; do
    ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" "$work$(readlink "$link")")" "$link"
  done
  (
    cd "$work/usr/src/python"
    # answers configure cannot find out without running a program of the target
    printf 'ac_cv_file__dev_ptmx=yes\nac_cv_file__dev_ptc=no\nac_cv_buggy_getaddrinfo=no\n' >config.site
    # LDFLAGS in the environment too: setup.py (the shared extension modules) reads it
    # there, not from configure, to find the root's libffi for _ctypes
    export CONFIG_SITE=$PWD/config.site PKG_CONFIG_SYSROOT_DIR=$work \
      PKG_CONFIG_LIBDIR=$work/usr/lib/$triplet/pkgconfig:$work/usr/share/pkgconfig \
      LDFLAGS="-L$work/usr/lib/$triplet -Wl,-rpath,/opt/python3.11/lib"
    ./configure --build="$(dpkg-architecture -qDEB_BUILD_GNU_TYPE)" --host="$triplet" \
      --with-build-python=/usr/bin/python3.11 CC="$triplet-gcc --sysroot=$work" \
      READELF="$triplet-readelf" \
      --prefix=/opt/python3.11 --enable-shared \
      --with-ensurepip=no >"$work/tmp/configure.log" 2>&1 \
      || { tail -30 "$work/tmp/configure.log" >&2; exit 1; }
    # setup.py looks for ffi.h in LIBFFI_INCLUDEDIR only; Debian keeps it in the multiarch
    # folder (without it _ctypes links without libffi: "undefined symbol: ffi_type_void")
    sed -i "s|^LIBFFI_INCLUDEDIR=.*|LIBFFI_INCLUDEDIR=$work/usr/include/$triplet|" Makefile
    make -j"$(nproc)" >"$work/tmp/make.log" 2>&1 || { tail -40 "$work/tmp/make.log" >&2; exit 1; }
    make install DESTDIR="$work" >"$work/tmp/install.log" 2>&1 \
      || { tail -40 "$work/tmp/install.log" >&2; exit 1; }
  )
  # pip from the source's own ensurepip, run by the new Python in the root (the build
  # Python would see this machine's pip as already installed and skip it)
  in_root /opt/python3.11/bin/python3.11 -m ensurepip >"$work/tmp/ensurepip.log" 2>&1 \
    || { tail -20 "$work/tmp/ensurepip.log" >&2; exit 1; }
fi
in_root /opt/python3.11/bin/python3.11 -c "import ssl, sqlite3, ctypes, zlib, bz2, lzma, uuid, decimal"
echo "Python 3.11 built for the $arch root: $((SECONDS - begun)) s" >&2
cleanup
mounted=()
rm -rf "$work/usr/src/python"
mv "$work" "$root"
echo "$root"
