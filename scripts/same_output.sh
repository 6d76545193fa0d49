#!/usr/bin/env bash
# Does a refactor change any output? Runs extract, check (JSON), export and build with the
# code of REV and with the working tree, on content/ and on the shared corpora, and diffs
# everything they write (catalogs, exports, check JSON, built sites: the code stamp aside).
#   bash scripts/same_output.sh HEAD~3          # content/ and every corpus under ../shared
#   bash scripts/same_output.sh HEAD~3 --quick  # content/ only
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: same_output.sh REV [--quick]}
quick=${2:-}
work=$(mktemp -d)
trap 'git worktree remove --force "$work/old" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add -q "$work/old" "$rev"
shared=${DOCLOC_SHARED:-../shared}/corpus
sets=("default:$PWD/content")
if [ "$quick" != "--quick" ]; then
  for d in "$shared"/partner-center-fr-fr/* "$shared"/mixed-reality-fr-fr/*; do
    [ -d "$d" ] && sets+=("$(basename "$(dirname "$d")")-$(basename "$d"):$(cd "$d" && pwd)")
  done
fi
run() {  # code-dir out-dir
  local code=$1 out=$2
  for set in "${sets[@]}"; do
    local name=${set%%:*} dir=${set#*:} o=$out/${set%%:*}
    mkdir -p "$o"
    (cd "$code" && export PYTHONPATH=$code
     python3 -m pipeline extract --content "$dir" --locales "$o/locales" > /dev/null 2>&1 || true
     python3 -m pipeline check --no-cache --format json --content "$dir" --locales "$o/locales" \
       2> /dev/null | sed "s|$out/|OUT/|g" > "$o/check.json" || true
     python3 -m pipeline export --content "$dir" --locales "$o/locales" --out "$o/export" \
       > /dev/null 2>&1 || true
     if [ "$name" = default ] || [ "$quick" != "--quick" ]; then
       python3 -m pipeline build --content "$dir" --locales "$o/locales" --site "$o/site" \
         > /dev/null 2>&1 || true
     fi)
  done
}
run "$work/old" "$work/a"
run "$PWD" "$work/b"
changed=$(diff -r -x .docloc.lock -x .docloc-work "$work/a" "$work/b" | grep '^[<>]' \
          | grep -v '"stamp"' || true)
if [ -n "$changed" ]; then
  printf '%s\n' "$changed" | head -50 || true
  echo "outputs differ (< $rev, > working tree)"; exit 1
fi
echo "same output as $rev on: ${sets[*]%%:*}"
