#!/usr/bin/env bash
# Let this machine run programs of another CPU family (the arm64 root of the 信创 package,
# issue 25): Debian's qemu-user-static registered with the kernel's binfmt_misc, so that
# chroot into an arm64 root simply works (the "F" flag: the kernel opens the emulator when
# the entry is registered, so the root needs no copy of it).
# Usage: emulation.sh arm64. Needs root; installs qemu-user-static and binfmt-support when
# missing, mounts binfmt_misc when it is not, and enables the entry. Fails, saying so, where
# the kernel does not allow it (a container without binfmt_misc).
set -euo pipefail
arch=${1:?usage: emulation.sh arm64}
case $arch in
  arm64) qemu=qemu-aarch64 ;;
  *) echo "emulation.sh: no emulator known for $arch" >&2; exit 2 ;;
esac
for package in qemu-user-static binfmt-support; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || {
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      qemu-user-static binfmt-support >/dev/null
    break
  }
done
binfmt=/proc/sys/fs/binfmt_misc
[ -e "$binfmt/register" ] || mount -t binfmt_misc binfmt_misc "$binfmt" || {
  echo "binfmt_misc cannot be mounted here: arm64 programs cannot be emulated" >&2
  exit 1
}
[ -e "$binfmt/$qemu" ] || update-binfmts --enable "$qemu"
grep -q '^enabled' "$binfmt/$qemu" || {
  echo "the binfmt_misc entry $qemu is not enabled" >&2
  exit 1
}
