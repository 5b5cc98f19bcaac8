#!/usr/bin/env bash
# `netvault lsp`'s answer times on a synthetic vault (issue 16: every request within 50 ms at
# 10,000 contacts, completion within 20 ms). Builds release binaries, generates the vault once
# (examples/gen_vault.rs), then runs examples/lsp_bench.rs, which drives the server over stdio
# as an editor does and prints a Markdown table; progress goes to stderr.
# Usage: [COUNT=10000] [RUNS=50] [BENCH_DIR=/tmp/netvault-bench] bench/lsp.sh > lsp.md
set -euo pipefail
cd "$(dirname "$0")/.."

count="${COUNT:-10000}"
runs="${RUNS:-50}"
dir="${BENCH_DIR:-/tmp/netvault-bench}/lsp-vault-$count"

cargo build --release --locked --bin netvault --example gen_vault --example lsp_bench >&2
if [ ! -d "$dir/people" ]; then
  target/release/examples/gen_vault --count "$count" --seed 42 --out "$dir" >&2
fi
echo "\`netvault lsp\` on $count contacts ($(nproc) cores, $(date -u +%F)):"
echo
target/release/examples/lsp_bench --vault "$dir" --netvault target/release/netvault --runs "$runs"
