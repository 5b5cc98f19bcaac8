#!/usr/bin/env bash
# Regenerate docs/report.png, the README's picture of `netvault report --format html` for
# example-vault: the page is built on a copy of the vault (the repository's folder gets no
# index), opened in headless Chromium (Debian: apt-get install chromium) and captured at 70%
# scale, which keeps the PNG under 300 KB. Usage: scripts/screenshot.sh [OUT.png]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-docs/report.png}"

browser="$(command -v chromium || command -v chromium-browser || true)"
[[ -n $browser ]] || { echo "scripts/screenshot.sh: needs chromium (apt-get install chromium)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -R example-vault "$work/vault"
rm -rf "$work/vault/.netvault/index"
cargo run --quiet --locked -- --vault "$work/vault" --today 2026-11-27 --color never \
  report --format html --output "$work/vault/network.html" 2>/dev/null

mkdir -p "$(dirname "$out")"
HOME="$work" "$browser" --headless --disable-gpu --no-sandbox --no-first-run --hide-scrollbars \
  --disable-background-networking --host-resolver-rules='MAP * ~NOTFOUND' \
  --user-data-dir="$work/profile" --force-device-scale-factor=0.7 --window-size=1100,2500 \
  --screenshot="$PWD/$out" "file://$work/vault/network.html" >/dev/null 2>&1
size=$(wc -c <"$out")
echo "wrote $out ($size bytes)"
(( size < 300000 )) || { echo "scripts/screenshot.sh: $out is over 300 KB" >&2; exit 1; }
