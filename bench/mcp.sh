#!/usr/bin/env bash
# netvault mcp's benchmark: starts `netvault mcp` on gen_vault's synthetic vaults, speaks the
# protocol to it over stdio (a small Python client, no SDK), and prints a Markdown table of the
# median time of each request, seen from the client: start and handshake, tools/list, search,
# show, followups, who_knows, a log with dry_run, resources/list; then search again while a
# `netvault watch` runs alongside (every call trusts its index and skips the stat walk).
# Usage: [SIZES="2000 100000"] [BENCH_DIR=DIR] [RUNS=15] bench/mcp.sh
set -euo pipefail

readonly TODAY=2026-11-27 # gen_vault's fixed base date
readonly SEED=42
SIZES=${SIZES:-2000}
BENCH_DIR=${BENCH_DIR:-/tmp/netvault-bench}
RUNS=${RUNS:-15}

die() {
  printf 'bench/mcp.sh: error: %s\n' "$*" >&2
  exit 1
}
say() { printf '>> %s\n' "$*" >&2; }

case "${1:-}" in
  -h | --help)
    sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  "") ;;
  *) die "unknown argument: $1 (see --help)" ;;
esac

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
command -v python3 >/dev/null || die "python3 is needed for the protocol client"

say "building: cargo build --release --bin netvault --example gen_vault"
cargo build --release --bin netvault --example gen_vault >&2 || die "the release build failed"
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
NV=$TARGET_DIR/release/netvault
GEN=$TARGET_DIR/release/examples/gen_vault

WATCH_PID=
cleanup() {
  if [[ -n $WATCH_PID ]]; then
    kill -TERM "$WATCH_PID" 2>/dev/null || true
    wait "$WATCH_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT

# The client: one session, each request timed RUNS times (after one warm-up); prints
# "label<TAB>median ms<TAB>min ms<TAB>max ms" lines.
CLIENT=$(
  cat <<'PY'
import json, os, statistics, subprocess, sys, time

nv, vault, today, runs, only = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
ids = iter(range(1, 10**9))

def start():
    t0 = time.perf_counter()
    p = subprocess.Popen([nv, "--color", "never", "--today", today, "--vault", vault, "mcp"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    request(p, "initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                              "clientInfo": {"name": "bench", "version": "1"}})
    p.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n'); p.stdin.flush()
    return p, (time.perf_counter() - t0) * 1000

def request(p, method, params=None):
    i = next(ids)
    msg = {"jsonrpc": "2.0", "id": i, "method": method}
    if params is not None:
        msg["params"] = params
    p.stdin.write((json.dumps(msg) + "\n").encode()); p.stdin.flush()
    while True:
        line = p.stdout.readline()
        if not line:
            sys.exit(f"the server closed the stream during {method}")
        answer = json.loads(line)
        if answer.get("id") == i:
            if "error" in answer:
                sys.exit(f"{method}: {answer['error']}")
            result = answer["result"]
            if result.get("isError"):
                sys.exit(f"{method} {params}: {result['content']}")
            return result

def timed(label, p, method, params=None):
    request(p, method, params)  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = request(p, method, params)
        times.append((time.perf_counter() - t0) * 1000)
    print(f"{label}\t{statistics.median(times):.1f}\t{min(times):.1f}\t{max(times):.1f}", flush=True)
    return result

def tool(tool_name, **args):
    return "tools/call", {"name": tool_name, "arguments": args}

starts = []
for _ in range(max(3, runs // 3)):
    p, ms = start()
    starts.append(ms)
    p.stdin.close(); p.wait()
p, _ = start()
if only == "all":
    print(f"start the server + initialize\t{statistics.median(starts):.1f}\t{min(starts):.1f}\t{max(starts):.1f}")
    timed("tools/list", p, "tools/list")
found = timed("tools/call search `archives` (20 hits)", p, *tool("search", query="archives"))
if only == "all":
    name = found["structuredContent"]["hits"][0]["path"]
    timed("tools/call show", p, *tool("show", name=name))
    timed("tools/call followups", p, *tool("followups"))
    timed("tools/call who_knows `archives`", p, *tool("who_knows", query="archives"))
    timed("tools/call log, dry_run (resolve, read, edit, diff)", p,
          *tool("log", name=name, message="bench", date=today, dry_run=True))
    timed("resources/list", p, "resources/list")
p.stdin.close(); p.wait()
PY
)

echo "# netvault mcp, measured"
echo
echo "- $("$NV" --version) · commit $(git rev-parse --short HEAD 2>/dev/null || echo '?') · release build · $(nproc) cores · load $(cut -d' ' -f1 /proc/loadavg) at the start"
echo "- vaults: \`gen_vault --count N --seed $SEED\`; the server runs with \`--today $TODAY\`; each figure is the median of $RUNS requests in one session (after a warm-up), timed by the client"
echo
echo "| request | contacts | median | min | max |"
echo "|---|---|---|---|---|"
for n in $SIZES; do
  vault=$BENCH_DIR/vault-$n
  if [[ ! -d $vault/people ]]; then
    say "[$n] generating $vault"
    mkdir -p "$BENCH_DIR"
    "$GEN" --count "$n" --seed "$SEED" --out "$vault" >&2 || die "gen_vault failed"
  fi
  say "[$n] indexing"
  "$NV" --quiet --today "$TODAY" --vault "$vault" index >/dev/null
  say "[$n] the session"
  python3 -c "$CLIENT" "$NV" "$vault" "$TODAY" "$RUNS" all |
    while IFS=$'\t' read -r label median lo hi; do
      echo "| $label | $n | $median ms | $lo ms | $hi ms |"
    done
  say "[$n] with netvault watch alongside"
  "$NV" --today "$TODAY" --vault "$vault" watch >"$BENCH_DIR/watch-$n.out" 2>&1 &
  WATCH_PID=$!
  for _ in $(seq 1 600); do
    grep -q '^watching ' "$BENCH_DIR/watch-$n.out" && break
    sleep 0.1
  done
  grep -q '^watching ' "$BENCH_DIR/watch-$n.out" || die "netvault watch did not start"
  python3 -c "$CLIENT" "$NV" "$vault" "$TODAY" "$RUNS" search |
    while IFS=$'\t' read -r label median lo hi; do
      echo "| $label, \`watch\` live | $n | $median ms | $lo ms | $hi ms |"
    done
  kill -TERM "$WATCH_PID"
  wait "$WATCH_PID" || true
  WATCH_PID=
done
