#!/usr/bin/env bash
# Runs every ```sh block of README.md that follows a "<!-- readme-test -->" line, each in its own
# bash with -euo pipefail, from the repository root, so the commands README shows cannot rot.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
blocks=$(mktemp -d)
trap 'rm -rf "$blocks"' EXIT
awk -v dir="$blocks" '
  /^<!-- readme-test -->$/ { armed = 1; next }
  armed && /^```sh$/ { n++; file = sprintf("%s/block-%02d.sh", dir, n); inside = 1; armed = 0; next }
  inside && /^```$/ { inside = 0; close(file); next }
  inside { print > file }
  { armed = armed && /^$/ }
' README.md
count=0
for block in "$blocks"/block-*.sh; do
  [ -e "$block" ] || continue
  count=$((count + 1))
  echo "readme-check: block $count ($(head -1 "$block"))"
  bash -euo pipefail "$block"
done
if [ "$count" -eq 0 ]; then
  echo "readme-check: no tested blocks found in README.md" >&2
  exit 1
fi
echo "readme-check: $count README blocks ran"
rm -rf gen
