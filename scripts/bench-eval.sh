#!/usr/bin/env bash
# Eval-service benchmark: examples/s of perplexity and of greedy generation through the eval-service (POST
# /evaluations, polled until completed) against the same work on the engine called directly in the benchmark's JVM
# (EvalBenchmark's javadoc). Goal: the service adds at most 10% (service / raw >= 0.9).
#
#   scripts/bench-eval.sh                 # 256 examples, 32 new tokens, 3 runs
#   scripts/bench-eval.sh 512 64 2        # examples, max new tokens, runs
#   BENCH_EVAL_NO_BUILD=1 scripts/bench-eval.sh    # reuse the last build
#   BENCH_JAVA_OPTS="-Dbench.first-poll=0 -Dbench.poll-ms=20" ...   # how the client polls GET /evaluations/{id}
#
# On this 2-core machine run it under the build lock: ../shared/tools/one-at-a-time scripts/bench-eval.sh
#
# Starts the eval-service (port 18093, data dir target/bench-eval/data with the model linked from
# ${ANVIL_SHARED_DIR:-../shared}/models/aidreams260K and the golden PEFT adapter linked as runs/bench/adapter; H2
# under the data dir; no Kafka broker: kafka.bootstrap.servers points at a closed port, the consumer and the
# publisher retry in the background), runs the benchmark (it writes the dataset version datasets/bench-colors/v1),
# stops the service. Logs in target/bench-eval/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
shared=${ANVIL_SHARED_DIR:-$root/../shared}
model=aidreams260K
adapter=runs/bench/adapter
port=${BENCH_EVAL_PORT:-18093}
kafka_port=${BENCH_EVAL_KAFKA_PORT:-18094}   # nothing listens there
out=target/bench-eval
data=$out/data
rm -rf "$data"
mkdir -p "$data/models" "$data/runs/bench"
ln -sfn "$(cd "$shared/models/$model" && pwd)" "$data/models/$model"
ln -sfn "$(cd "$shared/golden/peft-lora-$model" && pwd)" "$data/$adapter"
export OMP_WAIT_POLICY=PASSIVE THP_MEM_ALLOC_ENABLE=1

if [[ ${BENCH_EVAL_NO_BUILD:-} != 1 ]]; then   # BENCH_EVAL_NO_BUILD=1: reuse the last build (repeated runs)
    echo "== building the eval-service and the benchmark"
    mvn -B -q -pl eval-service -am install -DskipTests
    mvn -B -q -pl eval-service test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
fi

echo "== starting the eval-service on port $port"
java ${EVAL_JAVA_OPTS:-} -Danvil.data-dir="$root/$data" -Dquarkus.http.port=$port \
    -Dkafka.bootstrap.servers=localhost:$kafka_port -Dquarkus.log.level=WARN \
    -Dquarkus.log.category.\"dev.anvil\".level=INFO -Dquarkus.log.category.\"org.apache.kafka\".level=ERROR \
    -jar eval-service/target/quarkus-app/quarkus-run.jar > "$out/eval-service.log" 2>&1 &
service=$!
trap 'kill $service 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
    if curl -sf "localhost:$port/evaluations?limit=1" > /dev/null; then break; fi
    kill -0 $service 2>/dev/null || { echo "the eval-service stopped; see $out/eval-service.log" >&2; exit 1; }
    sleep 1
done

echo "== benchmark"
cd eval-service
java ${BENCH_JAVA_OPTS:-} -cp "target/classes:target/test-classes:$(cat target/cp.txt)" dev.anvil.eval.bench.EvalBenchmark \
    "http://localhost:$port" "$root/$data" "$model" "$adapter" bench-colors v1 "$@" | tee "$root/$out/result.txt"
