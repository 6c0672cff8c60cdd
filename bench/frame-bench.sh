#!/usr/bin/env bash
# ./nbnet bench-frames: the frame path against its baselines, in one run.
#   servers (pinned to core 0): the old nbNet design in Python, a minimal C epoll responder (the
#   machine's ceiling for this client), nbnet's bench-server, and nbnet trans forwarding to a
#   bench-server in ok mode (trans and its downstream share core 0)
#   client (pinned to core 1): ./nbnet loadrun, for 1x1, 1x100, 10x100, 100x1 and 1000x1
# Usage: bench/frame-bench.sh [DURATION] [WARMUP]      (default 10s and 2s)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10s}
WARMUP=${2:-2s}
JAR=launcher/target/nbnet.jar
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
SERVER_CORE=0
CLIENT_CORE=1
CONFIGS=("1 1" "1 100" "10 100" "100 1" "1000 1")

gcc -O2 -o "$WORK/epoll_responder" bench/baselines/epoll_responder.c

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "bench: nothing listens on $1" >&2; return 1
}

# run_server NAME PORT EXPECT: loadrun every config against the port; one JSON line per config
run_configs() {
  local name=$1 port=$2 expect=$3
  for config in "${CONFIGS[@]}"; do
    set -- $config
    taskset -c $CLIENT_CORE java -cp "$JAR" io.nbnet.bench.loadrun.LoadRunCommand --port "$port" -c "$1" -n "$2" \
      -d "$DURATION" -w "$WARMUP" --expect "$expect" --json --timeout 20s \
      | tail -1 | sed "s/^/$name\t$1x$2\t/" >> "$WORK/results.tsv" || true
  done
}

port=$(free_port)
taskset -c $SERVER_CORE python3 bench/baselines/legacy_nbnet.py "$port" > "$WORK/legacy.log" 2>&1 &
wait_port "$port"; run_configs legacy "$port" a; kill %%; wait 2>/dev/null || true

port=$(free_port)
taskset -c $SERVER_CORE "$WORK/epoll_responder" "$port" > "$WORK/c.log" 2>&1 &
wait_port "$port"; run_configs c "$port" a; kill %%; wait 2>/dev/null || true

port=$(free_port)
taskset -c $SERVER_CORE java -cp "$JAR" io.nbnet.bench.server.BenchServerCommand --port "$port" > "$WORK/nbnet.log" 2>&1 &
wait_port "$port"; run_configs nbnet "$port" a; kill %%; wait 2>/dev/null || true

downstream=$(free_port); port=$(free_port)
taskset -c $SERVER_CORE java -cp "$JAR" io.nbnet.bench.server.BenchServerCommand --port "$downstream" --mode ok > "$WORK/ok.log" 2>&1 &
echo "{\"components\":[\"trans\"],\"trans\":{\"host\":\"127.0.0.1\",\"port\":$port,\"savers\":[\"127.0.0.1:$downstream\"]}}" > "$WORK/trans.json"
taskset -c $SERVER_CORE java -jar "$JAR" -conf "$WORK/trans.json" > "$WORK/trans.log" 2>&1 &
wait_port "$downstream"; wait_port "$port"; run_configs trans "$port" OK; kill $(jobs -p); wait 2>/dev/null || true

python3 - "$WORK/results.tsv" "$DURATION" "$WARMUP" <<'PY'
import json, sys
rows = {}
for line in open(sys.argv[1]):
    name, config, text = line.rstrip("\n").split("\t", 2)
    rows.setdefault(config, {})[name] = json.loads(text)
def cell(r):
    if r is None: return "-"
    if "error" in r: return "failed: " + r["error"][:40]
    return "%s req/s, p99 %s us%s" % (format(r["requestsPerSecond"], ","), r["latencyMicros"]["p99"], ", %d errors" % r["errors"] if r["errors"] else "")
def ratio(a, b):
    if not a or not b or "error" in a or "error" in b or not b["requestsPerSecond"]: return "-"
    return "%.1fx" % (a["requestsPerSecond"] / b["requestsPerSecond"])
print("\nframe path, %s measured after %s warm-up; servers on core 0, loadrun on core 1\n" % (sys.argv[2], sys.argv[3]))
print("| conns x in flight | old nbNet design (Python) | C epoll responder | nbnet bench-server | nbnet / old | nbnet / C | trans -> bench-server (ok) |")
print("|---|---|---|---|---|---|---|")
for config in ["1x1", "1x100", "10x100", "100x1", "1000x1"]:
    r = rows.get(config, {})
    print("| %s | %s | %s | %s | %s | %s | %s |" % (config, cell(r.get("legacy")), cell(r.get("c")), cell(r.get("nbnet")),
        ratio(r.get("nbnet"), r.get("legacy")), ratio(r.get("nbnet"), r.get("c")), cell(r.get("trans"))))
PY
