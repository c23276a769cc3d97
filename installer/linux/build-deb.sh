#!/usr/bin/env bash
# Build dist/jixiao_<version>_<arch>.deb from the bundle dist/jixiao (make bundle) with
# dpkg-deb. The package installs the bundle under /opt/jixiao, the command /usr/bin/jixiao,
# the desktop entry, the icons and the MIME type of .jxdb files. Debian's own triggers
# (shared-mime-info, desktop-file-utils, hicolor icon cache) register them, so the package
# has no maintainer scripts: removing it removes only its own files and never the user's
# .jxdb files, settings or backups in their home folders.
set -euo pipefail
cd "$(dirname "$0")/../.."
bundle=dist/jixiao
[ -x "$bundle/jixiao" ] || { echo "没有找到 $bundle/jixiao：请先运行 make bundle。" >&2; exit 1; }

version=$(.venv/bin/python -c 'import desktop; print(desktop.__version__)')
arch=$(dpkg --print-architecture)
work=build/deb
root=$work/root
rm -rf "$work"
mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
  "$root/usr/share/mime/packages" "$root/usr/share/icons/hicolor/scalable/apps"
cp -a "$bundle" "$root/opt/jixiao"
ln -s /opt/jixiao/jixiao "$root/usr/bin/jixiao"
install -m 644 installer/linux/jixiao.desktop "$root/usr/share/applications/jixiao.desktop"
install -m 644 installer/linux/jixiao-mime.xml "$root/usr/share/mime/packages/jixiao.xml"
install -m 644 resources/icons/jixiao.svg "$root/usr/share/icons/hicolor/scalable/apps/jixiao.svg"
for png in resources/icons/jixiao-*.png; do
  size=${png##*-}; size=${size%.png}
  install -D -m 644 "$png" "$root/usr/share/icons/hicolor/${size}x${size}/apps/jixiao.png"
done
chmod -R u+rwX,go+rX,go-w "$root"

# Depends: the Debian packages of the system libraries the bundle links to (the bundle
# carries none of them, see installer/jixiao.spec). dpkg-shlibdeps reads debian/control.
mkdir -p "$work/debian"
printf 'Source: jixiao\n\nPackage: jixiao\nArchitecture: any\n' >"$work/debian/control"
internal=$(realpath "$root/opt/jixiao/_internal")
mapfile -t binaries < <(find "$root/opt/jixiao" -type f \( -name '*.so*' -o -name jixiao \) \
  -exec realpath {} \;)
depends=$(cd "$work" && dpkg-shlibdeps -O --ignore-missing-info \
  -l"$internal" -l"$internal/PySide6/Qt/lib" -l"$internal/PySide6" -l"$internal/shiboken6" \
  "${binaries[@]}" 2>dpkg-shlibdeps.log | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "dpkg-shlibdeps failed, see $work/dpkg-shlibdeps.log" >&2; exit 1; }
# libpq5: loaded by psycopg through ctypes (文件 → 打开汇总库…), so no ELF file names it
depends="$depends, libpq5"

cat >"$root/DEBIAN/control" <<CONTROL
Package: jixiao
Version: $version
Section: misc
Priority: optional
Architecture: $arch
Maintainer: jixiao developers <jixiao@localhost>
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: $depends
Description: 绩效目标填报 — budget performance targets of a county unit
 Fill in a unit's budget performance targets (预算绩效目标), check them the way
 the finance bureau does, print the fixed-layout tables for signing, and hand the
 .jxdb file to another office. Works offline.
CONTROL

# md5sums, as Debian's own packages carry them, so that `dpkg --verify jixiao` works.
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z \
  | xargs -0 md5sum) >"$root/DEBIAN/md5sums"

# JIXIAO_DEB_TREE_ONLY=1 stops here: installer/linux/bullseye-deb.sh packs the tree with the
# building machine's own dpkg-deb (xz under emulation takes minutes)
if [ "${JIXIAO_DEB_TREE_ONLY:-}" = 1 ]; then
  echo "$root: the package tree (unpacked $(du -sh "$root/opt/jixiao" | cut -f1) under /opt/jixiao)"
  exit 0
fi
deb=dist/jixiao_${version}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb: $(du -h "$deb" | cut -f1) (unpacked $(du -sh "$root/opt/jixiao" | cut -f1) under /opt/jixiao)"
