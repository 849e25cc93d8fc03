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
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
shared=${ANVIL_SHARED_DIR:-$root/../shared}
model=aidreams260K
port=18090
out=target/bench-gateway
data=$out/data
mkdir -p "$data/models"
ln -sfn "$(cd "$shared/models/$model" && pwd)" "$data/models/$model"
export OMP_WAIT_POLICY=PASSIVE THP_MEM_ALLOC_ENABLE=1

echo "== building the gateway and the benchmark"
mvn -B -q -pl inference-gateway -am install -DskipTests
mvn -B -q -pl inference-gateway test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt

admin_key=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
echo "== starting the gateway on port $port"
ANVIL_GATEWAY_ADMIN_KEY=$admin_key java ${GATEWAY_JAVA_OPTS:-} -Danvil.data-dir="$root/$data" -Dquarkus.http.port=$port \
    -Dquarkus.log.level=WARN -jar inference-gateway/target/quarkus-app/quarkus-run.jar > "$out/gateway.log" 2>&1 &
gateway=$!
trap 'kill $gateway 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
    if curl -sf -H "Authorization: Bearer $admin_key" "localhost:$port/admin/keys" > /dev/null \
        && grep -q '"aidreams260K": "ready"' <(curl -s "localhost:$port/q/health/ready"); then break; fi
    sleep 1
done
key=$(curl -sf -X POST -H "Authorization: Bearer $admin_key" -H 'Content-Type: application/json' \
    -d '{"name":"bench"}' "localhost:$port/admin/keys" | sed -E 's/.*"key" *: *"([^"]+)".*/\1/')

echo "== benchmark"
cd inference-gateway
java -cp "target/classes:target/test-classes:$(cat target/cp.txt)" dev.anvil.gateway.bench.GatewayBenchmark \
    "http://localhost:$port" "$key" "$model" "$root/$data/models/$model" "$@" | tee "$root/$out/result.txt"
