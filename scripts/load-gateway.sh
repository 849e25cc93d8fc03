#!/usr/bin/env bash
# Gateway load test over loopback (GatewayLoadTest's javadoc): many streaming clients for a fixed time, stopping by
# themselves; no 5xx, a key's requests-per-minute limit held exactly, latency and time to first token, and the
# response cache's effect on a repeated prompt mix. Exits 1 on a 5xx or a limit overstepped.
#
#   scripts/load-gateway.sh                    # 16 clients, 30 s a run, 120 requests/min on the limited key, 20 prompts
#   scripts/load-gateway.sh 60 32 240 50       # seconds, clients, requests/min, prompts
#
# Starts the gateway (port 18091, defaults as shipped: cache on), runs the test, stops the gateway. Logs in
# target/load-gateway/.
set -euo pipefail
port=18091
out=target/load-gateway
source "$(dirname "$0")/lib-bench-gateway.sh"

echo "== load test"
java -cp "$gateway_cp" dev.anvil.gateway.bench.GatewayLoadTest "http://localhost:$port" "$admin_key" "$model" \
    "${1:-30}" "${2:-16}" "${3:-120}" "${4:-20}" | tee "$root/$out/result.txt"
