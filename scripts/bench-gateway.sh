#!/usr/bin/env bash
# Gateway benchmark: streaming tokens/s and time to first token with 1, 8 and 32 concurrent clients through the
# inference-gateway, against the same serving engine called directly in the benchmark's JVM, on the same work
# (GatewayBenchmark's javadoc). Goal: gateway / direct >= 0.9.
#
#   scripts/bench-gateway.sh              # levels 1 8 32
#   scripts/bench-gateway.sh 1 4          # other levels
#
# Starts the gateway (port 18090, data dir target/bench-gateway/data with the model linked from
# ${ANVIL_SHARED_DIR:-../shared}/models/aidreams260K), runs the benchmark, stops the gateway. Logs in target/bench-gateway/.
set -euo pipefail
port=18090
out=target/bench-gateway
source "$(dirname "$0")/lib-bench-gateway.sh"
key=$(curl -sf -X POST -H "Authorization: Bearer $admin_key" -H 'Content-Type: application/json' \
    -d '{"name":"bench"}' "localhost:$port/admin/keys" | sed -E 's/.*"key" *: *"([^"]+)".*/\1/')

echo "== benchmark"
java -cp "$gateway_cp" dev.anvil.gateway.bench.GatewayBenchmark \
    "http://localhost:$port" "$key" "$model" "$root/$data/models/$model" "$@" | tee "$root/$out/result.txt"
