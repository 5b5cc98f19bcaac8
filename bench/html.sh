#!/usr/bin/env bash
# Measure `netvault report --format html` on synthetic vaults (examples/gen_vault.rs): the
# page's size and the command's wall time, index already in sync, best of RUNS. Prints a
# Markdown table (stdout); progress on stderr. With chromium on PATH it also screenshots each
# page into target/html-report/ to judge legibility by eye.
# Usage: [SIZES="1000 10000"] [RUNS=3] [BENCH_DIR=/tmp/netvault-bench] bench/html.sh
set -euo pipefail
cd "$(dirname "$0")/.."
readonly TODAY=2026-11-27   # gen_vault's base date
SIZES="${SIZES:-1000 10000}"
RUNS="${RUNS:-3}"
BENCH_DIR="${BENCH_DIR:-/tmp/netvault-bench}"
say() { printf '>> %s\n' "$*" >&2; }

say "building (release)"
cargo build --release --locked --quiet --bin netvault --example gen_vault
bin="$PWD/target/release/netvault"
gen="$PWD/target/release/examples/gen_vault"
browser="$(command -v chromium || true)"
mkdir -p target/html-report

now() { date +%s.%N; }
printf '| contacts | page size (MB = 10^6 bytes) | best of %s runs (s) | of which drawing the page (ms) |\n|---:|---:|---:|---:|\n' "$RUNS"
for n in $SIZES; do
  vault="$BENCH_DIR/html-vault-$n"
  if [[ ! -d $vault/people ]]; then
    say "generating $n contacts in $vault"
    "$gen" --count "$n" --seed 42 --out "$vault" >/dev/null
  fi
  say "syncing the index of $vault"
  "$bin" --vault "$vault" --today "$TODAY" index >/dev/null 2>&1 || true
  best=""
  for _ in $(seq "$RUNS"); do
    start=$(now)
    NETVAULT_TIMING=1 "$bin" --vault "$vault" --today "$TODAY" report --format html \
      --output "$vault/network.html" 2>"$vault/timing.txt"
    end=$(now)
    t=$(echo "$end - $start" | bc -l)
    if [[ -z $best ]] || (( $(echo "$t < $best" | bc -l) )); then
      best=$t
      draw=$(sed -n 's/^timing: html \([0-9.]*\) ms$/\1/p' "$vault/timing.txt")
    fi
  done
  bytes=$(wc -c <"$vault/network.html")
  printf '| %s | %s bytes, %.2f MB | %.3f | %s |\n' "$n" "$bytes" "$(echo "$bytes / 1000000" | bc -l)" "$best" "${draw:-?}"
  if [[ -n $browser ]]; then
    HOME="$vault" "$browser" --headless --disable-gpu --no-sandbox --no-first-run --hide-scrollbars \
      --host-resolver-rules='MAP * ~NOTFOUND' --user-data-dir="$BENCH_DIR/.chromium-$n" \
      --window-size=1200,2400 --screenshot="$PWD/target/html-report/vault-$n.png" \
      "file://$vault/network.html" >/dev/null 2>&1 || say "screenshot of $n failed"
  fi
done
