#!/usr/bin/env bash
# The fresh-system check of CI (issue 14), on freshly bootstrapped minimal Debian 12 roots
# with the same package sources, pip configuration and certificate authorities as the
# machine that runs CI, and nothing else installed by hand:
#   1. a newcomer's root (minbase + git, make, ca-certificates): a clone of this repository;
#      the README's first `make run` (offscreen, until painted) and `make test` as root;
#   2. an office PC's root (a copy of the same bare root): `apt-get install ./jixiao_*.deb`,
#      then as a normal user `jixiao --version`, `sample`, `print` (the PDF's text and
#      embedded font checked with pdftotext/pdffonts outside the root), `check`, and the
#      GUI on an Xvfb display until it has painted (screenshot saved); then the same for
#      the .deb the newcomer's root built with `make deb` (Debian's own Python 3.11).
# Usage: .ci/fresh-debian.sh DEB [OUTPUT]. Needs root, debootstrap, Xvfb, poppler-utils and
# .venv (for the screenshot); OUTPUT (default build/fresh-debian) receives the roots, the
# PDF and the screenshot. FRESH_STEPS="make-test deb" chooses the steps (default both).
# The 信创 packages (issue 25, `make fresh-bullseye`): FRESH_SUITE=bullseye bootstraps
# Debian 11 with the mirror's own sources instead (this machine's are Debian 12's),
# FRESH_ARCH=arm64 an arm64 root run under qemu-user-static (installer/linux/emulation.sh),
# FRESH_CHECKS=reduced runs only --version, sample and check there (no print, no window).
# The base system is bootstrapped anew each time, except under emulation (arm64), where the
# pristine root debootstrap wrote is kept in /var/cache/jixiao-build and copied (bootstrap()).
set -euo pipefail
cd "$(dirname "$0")/.."
deb=$(realpath "$1")
output=$(realpath -m "${2:-build/fresh-debian}")
steps=${FRESH_STEPS:-make-test deb}
suite=${FRESH_SUITE:-bookworm}
arch=${FRESH_ARCH:-$(dpkg --print-architecture)}
checks=${FRESH_CHECKS:-full}
mirror=http://deb.debian.org/debian
[ "$(id -u)" -eq 0 ] || { echo "fresh-debian.sh needs root (debootstrap, chroot)" >&2; exit 1; }

mounted=()
xvfb=
cleanup() {
  local index
  for ((index = ${#mounted[@]} - 1; index >= 0; index--)); do
    umount -l "${mounted[index]}" 2>/dev/null || true
  done
  [ -z "$xvfb" ] || kill "$xvfb" 2>/dev/null || true
}
trap cleanup EXIT

timed() {  # timed NAME COMMAND...: run it and print how long it took
  local name=$1 start=$SECONDS
  shift
  echo "--- $name"
  "$@"
  echo "--- $name: $((SECONDS - start)) s"
}

mount_system() {  # the kernel file systems a chroot needs, unmounted by the trap
  local root=$1
  mount -t proc proc "$root/proc" && mounted+=("$root/proc")
  mount -t sysfs sysfs "$root/sys" && mounted+=("$root/sys")
  mount --bind /dev "$root/dev" && mounted+=("$root/dev")
  mount --make-private "$root/dev"
  mount --bind /dev/pts "$root/dev/pts" && mounted+=("$root/dev/pts")
  mount -t tmpfs -o mode=1777 shm "$root/dev/shm" && mounted+=("$root/dev/shm")
}

in_root() {  # in_root ROOT COMMAND...: as root in the chroot, with a clean environment
  local root=$1
  shift
  chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}

bootstrap() {
  local root=$1
  local command=(debootstrap --arch="$arch" --variant=minbase --include=git,make,ca-certificates
    --keyring=/usr/share/keyrings/debian-archive-keyring.gpg "$suite")
  if [ "$arch" = "$(dpkg --print-architecture)" ]; then
    "${command[@]}" "$root" "$mirror" >"$output/debootstrap.log"
  else
    # Under emulation the bootstrap takes 5 to 10 minutes: the pristine root debootstrap
    # writes is kept in the build cache, keyed by the debootstrap command (suite,
    # architecture, package list, mirror), and each run gets a copy. The cached root never
    # saw our package nor this machine's settings (added to the copy below); its Debian
    # packages are those of the day it was bootstrapped (delete it to bootstrap anew).
    local cache=${JIXIAO_BUILD_CACHE:-/var/cache/jixiao-build}
    local base
    base=$cache/fresh-$suite-$arch-$(printf '%s\n' "${command[@]}" "$mirror" | sha256sum | cut -c1-12)
    if [ -d "$base" ]; then
      echo "the pristine $suite $arch root from the cache: $base"
    else
      mkdir -p "$cache"
      "${command[@]}" "$base.partial.$$" "$mirror" >"$output/debootstrap.log"
      # another run may have stored it meanwhile: then this one is dropped
      mv -T "$base.partial.$$" "$base" 2>/dev/null || rm -rf --one-file-system "$base.partial.$$"
    fi
    cp -a "$base" "$root"
  fi
  # This machine's Debian sources and their keys, its own apt settings (not a package's),
  # its certificate authorities and its pip configuration (package indexes, certificate).
  # Another suite than this machine's keeps the mirror's sources debootstrap wrote.
  local sources=
  if [ "$suite" = bookworm ]; then
    rm -f "$root/etc/apt/sources.list"
    sources=$(find /etc/apt/sources.list /etc/apt/sources.list.d -maxdepth 1 -type f \
      \( -name '*.list' -o -name '*.sources' \) 2>/dev/null || true)
  fi
  for file in $sources; do
    cp "$file" "$root/etc/apt/sources.list.d/"
    for key in $(grep -o '/usr/share/keyrings/[^] ]*' "$file" || true); do
      [ -e "$root$key" ] || cp "$key" "$root$key"
    done
  done
  for conf in /etc/apt/apt.conf.d/*; do
    dpkg-query -S "$conf" >/dev/null 2>&1 || cp "$conf" "$root/etc/apt/apt.conf.d/"
  done
  # (the bundle file as this machine made it from the same certificates; update-ca-certificates
  # run in the root would take a minute under emulation)
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/" 2>/dev/null || true
  cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
  [ ! -f /etc/pip.conf ] || cp /etc/pip.conf "$root/etc/pip.conf"
  [ ! -d /etc/xdg/pip ] || { mkdir -p "$root/etc/xdg"; cp -r /etc/xdg/pip "$root/etc/xdg/pip"; }
}

newcomer() {  # the README's `make test` as root on a clone
  local root=$output/newcomer
  mount_system "$root"
  git clone --quiet "$PWD" "$root/root/jixiao"  # the committed state, as a newcomer clones it
  # the first `make run`: system packages, .venv, then the window (offscreen), until painted
  timed "newcomer: first make run, until the window has painted" in_root "$root" bash -c '
    cd /root/jixiao
    QT_QPA_PLATFORM=offscreen make run >/tmp/make-run.log 2>&1 &
    until compgen -G "/root/.local/share/jixiao/backups/*/*.jxdb" >/dev/null; do
      kill -0 $! 2>/dev/null || { cat /tmp/make-run.log; exit 1; }
      sleep 0.5
    done
    kill -TERM $(cat /proc/$!/task/$!/children)  # the program make started
    wait $! || { cat /tmp/make-run.log; exit 1; }'
  timed "newcomer: make test (adds the test tools, then every check)" \
    in_root "$root" bash -c 'cd /root/jixiao && make test'
  # the README's `make deb` with Debian's own Python 3.11: the office PC step installs it too
  timed "newcomer: make deb (Debian's Python)" in_root "$root" bash -c 'cd /root/jixiao && make deb'
  cp "$root"/root/jixiao/dist/jixiao_*.deb "$output/debian-python.deb"
}

office_pc() {  # office_pc DEB NAME: the .deb installed with apt into a copy of the bare
  # root, $output/NAME, and run as a clerk; the PDF, logs and screenshot go to $output/NAME.*
  local deb=$1 name=$2 root=$output/$2 out=$output/$2 work=/home/clerk/文档
  cp -a "$output/bare" "$root"
  mount_system "$root"
  cp "$deb" "$root/tmp/"
  timed "$name: apt-get install ./$(basename "$deb")" in_root "$root" bash -c \
    "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq /tmp/$(basename "$deb") >/dev/null"
  in_root "$root" useradd --create-home clerk
  in_root "$root" su clerk -c "mkdir -p $work"
  clerk() {  # the command, as the clerk in their documents folder
    chroot --userspec=clerk:clerk "$root" /usr/bin/env -i HOME=/home/clerk LANG=C.UTF-8 \
      PATH=/usr/bin:/bin DISPLAY=:${display:-} bash -c "cd $work && $*"
  }
  local version
  version=$(clerk jixiao --version)
  [ "$version" = "jixiao $(.venv/bin/python -c 'import desktop; print(desktop.__version__)')" ] \
    || { echo "jixiao --version said: $version" >&2; return 1; }
  clerk jixiao sample -o 示例.jxdb
  if [ "$checks" = reduced ]; then
    [[ $(clerk jixiao check 示例.jxdb) == *审核通过* ]] || { echo "jixiao check did not pass the sample" >&2; return 1; }
    echo "$name: --version, sample, check: all worked (reduced checks: no print, no window)"
    return 0
  fi
  clerk jixiao print 示例.jxdb -o 示例.pdf
  cp "$root$work/示例.pdf" "$out.pdf"
  pdftotext "$out.pdf" "$out.txt"
  grep -q "本部门2022年度申请预算资金492.87万元" "$out.txt" \
    || { echo "the printed PDF lacks the sample's text" >&2; return 1; }
  pdffonts "$out.pdf" >"$out.fonts"
  grep -E '\+NotoSerifSC-Regular .* yes +(yes|no) +(yes|no) ' "$out.fonts" >/dev/null \
    || { echo "the printed PDF does not embed the bundled font:" >&2; pdffonts "$out.pdf" >&2; return 1; }
  [[ $(clerk jixiao check 示例.jxdb) == *审核通过* ]] || { echo "jixiao check did not pass the sample" >&2; return 1; }
  echo "$name: --version, sample, print (text and embedded font), check: all worked"

  # The window on an X server, until its first paint (the day's backup follows it)
  Xvfb -displayfd 3 -nolisten tcp -screen 0 1280x900x24 3>"$out.display" 2>/dev/null &
  xvfb=$!
  until [ -s "$out.display" ]; do kill -0 "$xvfb" && sleep 0.2; done
  local display
  display=$(cat "$out.display")
  clerk 'echo $$ >/tmp/window.pid; exec jixiao 示例.jxdb' 2>"$out.gui.log" &
  local window=$! deadline=$((SECONDS + ${FRESH_GUI_SECONDS:-120}))
  until compgen -G "$root/home/clerk/.local/share/jixiao/backups/*/*.jxdb" >/dev/null; do
    if ! kill -0 "$window" 2>/dev/null || [ $SECONDS -gt $deadline ]; then
      echo "the window did not paint within ${FRESH_GUI_SECONDS:-120} s:" >&2
      cat "$out.gui.log" >&2
      return 1
    fi
    sleep 0.5
  done
  sleep 2  # let the first frame settle before the picture is taken
  DISPLAY=:$display QT_QPA_PLATFORM=xcb .venv/bin/python -c '
import sys
from PySide6.QtGui import QGuiApplication
application = QGuiApplication([])
assert QGuiApplication.primaryScreen().grabWindow(0).save(sys.argv[1])' "$out.png"
  kill -TERM "$(cat "$root/tmp/window.pid")"  # as at logout
  wait "$window" || { echo "the window did not end cleanly:" >&2; cat "$out.gui.log" >&2; return 1; }
  ! grep -q Traceback "$out.gui.log" || { cat "$out.gui.log" >&2; return 1; }
  echo "$name: the window painted and closed; screenshot $out.png"
  kill "$xvfb"
  wait "$xvfb" 2>/dev/null || true
  xvfb=
}

# a run killed before its trap leaves its mounts: unmount them before deleting anything,
# and never follow one (a bound /dev) while deleting
awk -v prefix="$output/" 'index($2, prefix) == 1 { print $2 }' /proc/mounts | sort -r \
  | while read -r mount; do umount -l "$mount"; done
rm -rf --one-file-system "$output"
mkdir -p "$output"
[ "$arch" = "$(dpkg --print-architecture)" ] || bash installer/linux/emulation.sh "$arch"
timed "bootstrap a minimal Debian ($suite, $arch)" bootstrap "$output/bare"
for step in $steps; do
  case $step in
    make-test) cp -a "$output/bare" "$output/newcomer"; newcomer ;;
    deb)
      timed "office PC: $(basename "$deb")" office_pc "$deb" office-pc
      if [ -f "$output/debian-python.deb" ]; then
        timed "office PC: the newcomer's .deb (Debian's Python)" \
          office_pc "$output/debian-python.deb" office-pc-debian-python
      fi ;;
    *) echo "unknown step $step" >&2; exit 2 ;;
  esac
done
