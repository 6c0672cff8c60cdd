#!/usr/bin/env bash
# ./nbnet bench-frames: the frame path against its baselines, in one run.
#   servers (all pinned to core 0, started once, loaded one at a time): the old nbNet design in Python,
#   a minimal C epoll responder, a minimal Netty responder (the floor of the library nbnet stands on), nbnet's bench-server, the same with TLS, and nbnet trans forwarding to
#   a bench-server in ok mode (trans and its downstream share core 0)
#   client (pinned to core 1): bench/baselines/load_client.c, one C thread on epoll, for 1x1, 1x100,
#   10x100, 100x1 and 1000x1. It reports its own CPU use and the servers' over each measured window,
#   so the table shows which side was saturated. Servers take turns within each round; the table
#   holds the median of the rounds (this VM's speed drifts from minute to minute).
# Usage: bench/frame-bench.sh [DURATION_S] [WARMUP_S] [ROUNDS]      (default 4, 1 and 3)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-4}
WARMUP=${2:-1}
ROUNDS=${3:-3}
JAR=launcher/target/nbnet.jar
BENCH_JAR=bench/target/nbnet-bench.jar
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
SERVER_CORE=0
CLIENT_CORE=1
CONFIGS=("1 1" "1 100" "10 100" "100 1" "1000 1")
TLS_CONFIGS=("1 100" "100 1")

gcc -O2 -o "$WORK/epoll_responder" bench/baselines/epoll_responder.c
gcc -O2 -o "$WORK/load_client" bench/baselines/load_client.c -lssl -lcrypto
java -cp "$JAR" io.nbnet.launcher.tools.CertsTool "$WORK/certs" > /dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 1 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "bench: nothing listens on $1" >&2; return 1
}
# start NAME CMD...: a server on core 0; its port and pid land in PORT_NAME and PID_NAME
start() {
  local name=$1; shift
  taskset -c $SERVER_CORE "$@" > "$WORK/$name.log" 2>&1 &
  printf -v "PID_$name" %s $!
}

port_legacy=$(free_port); start legacy python3 bench/baselines/legacy_nbnet.py "$port_legacy"
port_c=$(free_port); start c "$WORK/epoll_responder" "$port_c"
port_netty=$(free_port); start netty java -cp "$JAR:$BENCH_JAR" io.nbnet.bench.server.NettyResponder "$port_netty"
port_nbnet=$(free_port); start nbnet java -cp "$JAR:$BENCH_JAR" io.nbnet.bench.server.BenchServerCommand --port "$port_nbnet"
port_tls=$(free_port); start tls java -cp "$JAR:$BENCH_JAR" io.nbnet.bench.server.BenchServerCommand --port "$port_tls" \
  --tls-cert "$WORK/certs/server.pem" --tls-key "$WORK/certs/server-key.pem"
downstream=$(free_port); port_trans=$(free_port)
start ok java -cp "$JAR:$BENCH_JAR" io.nbnet.bench.server.BenchServerCommand --port "$downstream" --mode ok
echo "{\"components\":[\"trans\"],\"trans\":{\"host\":\"127.0.0.1\",\"port\":$port_trans,\"savers\":[\"127.0.0.1:$downstream\"]}}" > "$WORK/trans.json"
start trans java -jar "$JAR" -conf "$WORK/trans.json"
for port in $port_legacy $port_c $port_netty $port_nbnet $port_tls $downstream $port_trans; do wait_port "$port"; done

# measure NAME CONNS IN_FLIGHT EXPECT PORT PIDS [CLIENT OPTIONS]: one JSON line into results.tsv
measure() {
  local name=$1 conns=$2 inflight=$3 expect=$4 port=$5 pids=$6; shift 6
  taskset -c $CLIENT_CORE "$WORK/load_client" --port "$port" -c "$conns" -n "$inflight" -d "$DURATION" -w "$WARMUP" \
    --expect "$expect" --server-pid "$pids" "$@" | tail -1 | sed "s/^/$name\t${conns}x$inflight\t/" >> "$WORK/results.tsv" || true
}

for round in $(seq 1 "$ROUNDS"); do
  echo "bench: round $round of $ROUNDS" >&2
  for config in "${CONFIGS[@]}"; do
    set -- $config
    measure legacy "$1" "$2" a "$port_legacy" "$PID_legacy"
    measure c "$1" "$2" a "$port_c" "$PID_c"
    measure netty "$1" "$2" a "$port_netty" "$PID_netty"
    measure nbnet "$1" "$2" a "$port_nbnet" "$PID_nbnet"
    measure trans "$1" "$2" OK "$port_trans" "$PID_trans,$PID_ok"
  done
  for config in "${TLS_CONFIGS[@]}"; do
    set -- $config
    measure tls "$1" "$2" a "$port_tls" "$PID_tls" --tls
  done
done

python3 - "$WORK/results.tsv" "$DURATION" "$WARMUP" "$ROUNDS" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    name, config, text = line.rstrip("\n").split("\t", 2)
    runs.setdefault((name, config), []).append(json.loads(text))
def med(name, config, key):
    values = [r[key] for r in runs.get((name, config), []) if key in r]
    return statistics.median(values) if values else None
def p99(name, config):
    values = [r["latencyMicros"]["p99"] for r in runs.get((name, config), []) if "latencyMicros" in r]
    return statistics.median(values) if values else None
def cost(name, config):
    # microseconds of server CPU per request: what the server needs, whichever side was saturated
    values = [1e6 * r["serverCpu"] / r["requestsPerSecond"] for r in runs.get((name, config), []) if r.get("requestsPerSecond")]
    return statistics.median(values) if values else None
def cell(name, config):
    rps = med(name, config, "requestsPerSecond")
    if rps is None:
        failed = [r["error"] for r in runs.get((name, config), []) if "error" in r]
        return "failed: " + failed[0][:40] if failed else "-"
    return "%s req/s, p99 %d us" % (format(int(rps), ","), p99(name, config))
def ratio(a, b):
    return "%.2fx" % (a / b) if a and b else "-"
def cpu(name, config):
    s, c = med(name, config, "serverCpu"), med(name, config, "clientCpu")
    return "%d%% / %d%%" % (100 * s, 100 * c) if s is not None and c is not None else "-"
configs = ["1x1", "1x100", "10x100", "100x1", "1000x1"]
print("\nframe path: medians of %s rounds of %s s measured after %s s warm-up; servers on core 0, the C load client on core 1\n" % (sys.argv[4], sys.argv[2], sys.argv[3]))
print("| conns x in flight | old nbNet design (Python) | C epoll responder | Netty responder | nbnet bench-server | nbnet / old | nbnet / C | trans -> bench-server (ok) |")
print("|---|---|---|---|---|---|---|---|")
for config in configs:
    print("| %s | %s | %s | %s | %s | %s | %s | %s |" % (config, cell("legacy", config), cell("c", config), cell("netty", config), cell("nbnet", config),
        ratio(med("nbnet", config, "requestsPerSecond"), med("legacy", config, "requestsPerSecond")),
        ratio(med("nbnet", config, "requestsPerSecond"), med("c", config, "requestsPerSecond")), cell("trans", config)))
print("\nwho was the limit: CPU of the server's core / the client's core during the measured window (medians);")
print("server cost = server CPU microseconds per request; client ceiling = requests per CPU-second the client spent\n")
print("| conns x in flight | C responder: CPU server / client | nbnet: CPU server / client | server cost C | server cost Netty | server cost nbnet | C / Netty cost | C / nbnet cost | client ceiling |")
print("|---|---|---|---|---|---|---|---|---|")
for config in configs:
    cc, ct, cn = cost("c", config), cost("netty", config), cost("nbnet", config)
    ceilings = [r["clientCeiling"] for (n, c), rs in runs.items() if c == config and n in ("c", "netty", "nbnet") for r in rs if "clientCeiling" in r]
    print("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (config, cpu("c", config), cpu("nbnet", config),
        "%.1f us" % cc if cc else "-", "%.1f us" % ct if ct else "-", "%.1f us" % cn if cn else "-", ratio(cc, ct), ratio(cc, cn),
        format(int(statistics.median(ceilings)), ",") + " req/s" if ceilings else "-"))
print("\nTLS (bench-server with the OpenSSL engine; the client speaks TLS too, so it pays for its side of the crypto)\n")
print("| conns x in flight | plaintext | TLS | lost | CPU server / client with TLS |")
print("|---|---|---|---|---|")
for config in ["1x100", "100x1"]:
    plain, tls = med("nbnet", config, "requestsPerSecond"), med("tls", config, "requestsPerSecond")
    lost = "%d%%" % round(100 * (1 - tls / plain)) if plain and tls else "-"
    print("| %s | %s | %s | %s | %s |" % (config, cell("nbnet", config), cell("tls", config), lost, cpu("tls", config)))
PY
