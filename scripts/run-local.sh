#!/usr/bin/env bash
# The main job on embedded defaults: a real Kafka broker, the dataset-service (H2 under the data directory), and
# every sample file of docs/examples/ ingested as a dataset version; prints each report and the events published.
#   scripts/run-local.sh            build if needed, start, ingest, leave the services running
#   scripts/run-local.sh stop       stop what it started
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
home=${ANVIL_HOME:-$root/.anvil}
export ANVIL_DATA_DIR=${ANVIL_DATA_DIR:-$home/data}
dataset_port=${DATASET_PORT:-8081}
pidfile=$home/dataset-service.pid
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
export THP_MEM_ALLOC_ENABLE=${THP_MEM_ALLOC_ENABLE:-1}

stop_service() {
  if [[ -f $pidfile ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    kill "$(cat "$pidfile")"; echo "dataset-service: stopped"
  fi
  rm -f "$pidfile"
}

if [[ ${1:-} == stop ]]; then stop_service; scripts/kafka.sh stop; exit 0; fi

mkdir -p "$home" "$ANVIL_DATA_DIR"
jar=dataset-service/target/quarkus-app/quarkus-run.jar
if [[ ! -f $jar || -n $(find events/src dataset-service/src dataset-service/pom.xml -newer "$jar" -print -quit) ]]; then
  echo "building dataset-service ..."
  mvn -q -B package -DskipTests -pl dataset-service -am
fi

scripts/kafka.sh start

stop_service
nohup java -Dquarkus.http.port="$dataset_port" -jar "$jar" >"$home/dataset-service.log" 2>&1 &
echo $! >"$pidfile"
for i in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$dataset_port/q/health/ready" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then echo "dataset-service exited; see $home/dataset-service.log" >&2; exit 1; fi
  [[ $i -eq 120 ]] && { echo "dataset-service not ready after 60 s; see $home/dataset-service.log" >&2; exit 1; }
  sleep 0.5
done
echo "dataset-service: ready on http://127.0.0.1:$dataset_port (data in $ANVIL_DATA_DIR)"

for file in docs/examples/*; do
  case $file in
    *.jsonl) type=application/x-ndjson ;;
    *.json) type=application/json ;;
    *.csv) type=text/csv ;;
    *) continue ;;
  esac
  name=$(basename "${file%.*}")
  echo
  echo "== POST /datasets/$name/versions  <  $file"
  curl -sS -X POST -H "Content-Type: $type" --data-binary "@$file" \
    "http://127.0.0.1:$dataset_port/datasets/$name/versions?validationFraction=0.2&seed=1"
  echo
done

echo
echo "== events on dataset.events"
java -cp "$(cat "$home/kafka/classpath.txt")" org.apache.kafka.tools.consumer.ConsoleConsumer \
  --bootstrap-server 127.0.0.1:9092 --topic dataset.events --from-beginning --timeout-ms 5000 2>/dev/null || true
echo
echo "The services keep running; stop them with: scripts/run-local.sh stop"
