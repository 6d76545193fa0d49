#!/usr/bin/env bash
# Install what the tests need on a fresh machine, then run them.
# Debian packages: gettext (msgfmt, used to check catalogs) and chromium (browser tests).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v msgfmt >/dev/null || need+=(gettext)
command -v chromium >/dev/null || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "warning: missing ${need[*]}; the tests that need them will skip" >&2
  fi
fi
python3 -m pip install -q -e '.[test]'
exec python3 -m pytest "$@"
