#!/usr/bin/env bash
# Print the path of the Python the Makefile builds .venv with: the first of "$@" (the
# Makefile's PYTHON, when given), python3.11, python3 (on PATH) that is 3.11 or newer.
# Run by the Makefile after system-deps.sh, which may just have installed python3.
# Without one: a message in Chinese and English, and exit status 1.
set -uo pipefail
for candidate in "$@" python3.11 python3; do
  path=$(command -v "$candidate") || continue
  if "$path" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "$path"
    exit 0
  fi
done
cat >&2 <<'MESSAGE'
没有找到 Python 3.11 或更新版本。在 Debian 12 上以 root 身份运行 make 会自动安装；
否则请以 root 身份运行：apt-get install --no-install-recommends python3 python3-venv
No Python 3.11 or newer found. Run make as root on Debian 12 to install it, or as root:
apt-get install --no-install-recommends python3 python3-venv
MESSAGE
exit 1
