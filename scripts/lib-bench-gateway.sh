# Sourced by scripts/bench-gateway.sh and scripts/load-gateway.sh: builds the gateway and its test classes, starts the
# packaged gateway on $port with the data dir $out/data (the model linked from ${ANVIL_SHARED_DIR:-../shared}/models),
# waits until the model is ready, and stops it when the calling script exits. Sets admin_key and gateway_cp (the test
# classpath for the client) and cds to the repository root.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
shared=${ANVIL_SHARED_DIR:-$root/../shared}
model=${model:-aidreams260K}
data=$out/data
mkdir -p "$data/models"
ln -sfn "$(cd "$shared/models/$model" && pwd)" "$data/models/$model"
export OMP_WAIT_POLICY=PASSIVE THP_MEM_ALLOC_ENABLE=1

echo "== building the gateway and the client"
mvn -B -q -pl inference-gateway -am install -DskipTests
mvn -B -q -pl inference-gateway test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
gateway_cp="$root/inference-gateway/target/classes:$root/inference-gateway/target/test-classes:$(cat inference-gateway/target/cp.txt)"

admin_key=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
echo "== starting the gateway on port $port"
ANVIL_GATEWAY_ADMIN_KEY=$admin_key java ${GATEWAY_JAVA_OPTS:-} -Danvil.data-dir="$root/$data" -Dquarkus.http.port=$port \
    -Dquarkus.log.level=WARN -jar inference-gateway/target/quarkus-app/quarkus-run.jar > "$out/gateway.log" 2>&1 &
gateway=$!
trap 'kill $gateway 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
    if curl -sf -H "Authorization: Bearer $admin_key" "localhost:$port/admin/keys" > /dev/null \
        && grep -q "\"$model\": \"ready\"" <(curl -s "localhost:$port/q/health/ready"); then break; fi
    sleep 1
done
