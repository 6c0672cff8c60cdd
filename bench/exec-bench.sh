#!/usr/bin/env bash
# ./nbnet bench-exec: remote exec figures on the bench server (server on core 0, clients on core 1):
#   commands/s for `true` through exec, and echo p99 latency with and without 20 `sleep 2` commands running.
# Usage: bench/exec-bench.sh [DURATION]      (default 10s)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10s}
BENCH_CP=launcher/target/nbnet.jar:bench/target/nbnet-bench.jar
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
loadrun() { taskset -c 1 java -cp "$BENCH_CP" io.nbnet.bench.loadrun.LoadRunCommand --port "$port" "$@" | tail -1; }

printf 'EX1\n{"argv":["true"]}' > "$WORK/true.req"
printf 'EX1\n{"argv":["sleep","2"]}' > "$WORK/sleep.req"
taskset -c 0 java -cp "$BENCH_CP" io.nbnet.bench.server.BenchServerCommand --port "$port" --mode echo --instances 1 \
  --exec-allow true --exec-allow sleep --exec-extra-args --exec-allow-without-token --exec-max-concurrent 24 --exec-max-queued 64 > "$WORK/server.log" 2>&1 &
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

echo "exec 'true', 8 connections x 1:"
loadrun -c 8 -n 1 -d "$DURATION" -w 2s --payload-file "$WORK/true.req" --expect 'OK {"exitCode":0'
echo "echo, 1 connection x 1, nothing else running:"
loadrun -c 1 -n 1 -d "$DURATION" -w 2s --payload ping --expect ping
echo "echo, 1 connection x 1, while 20 connections keep a 'sleep 2' running each:"
taskset -c 1 java -cp "$BENCH_CP" io.nbnet.bench.loadrun.LoadRunCommand --port "$port" -c 20 -n 1 -d 20s -w 0s \
  --payload-file "$WORK/sleep.req" --timeout 10s > "$WORK/sleep.out" 2>&1 &
sleep 3
loadrun -c 1 -n 1 -d "$DURATION" -w 2s --payload ping --expect ping
wait %2 2>/dev/null || true
echo "the sleeps: $(tail -1 "$WORK/sleep.out")"
