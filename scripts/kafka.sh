#!/usr/bin/env bash
# A real Apache Kafka broker (KRaft, one combined node) on loopback, from Maven Central artifacts.
#   scripts/kafka.sh start|stop|status
# Data and logs live under $ANVIL_HOME/kafka (default: .anvil/ in the repository), which this script owns.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
home=${ANVIL_HOME:-$root/.anvil}
dir=$home/kafka
port=${KAFKA_PORT:-9092}
controller_port=${KAFKA_CONTROLLER_PORT:-9093}
pidfile=$dir/kafka.pid

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

running() { [[ -f $pidfile ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

classpath() {
  local cp=$dir/classpath.txt
  if [[ ! -s $cp ]]; then
    mvn -q -B -f "$root/scripts/kafka/pom.xml" dependency:build-classpath -Dmdep.outputFile="$cp" >&2
  fi
  cat "$cp"
}

configure() {
  mkdir -p "$dir/data"
  cat >"$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
num.partitions=3
auto.create.topics.enable=true
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
  cat >"$dir/log4j2.properties" <<PROPS
rootLogger.level=WARN
rootLogger.appenderRef.file.ref=file
appender.file.type=File
appender.file.name=file
appender.file.fileName=$dir/server.log
appender.file.layout.type=PatternLayout
appender.file.layout.pattern=[%d] %p %m (%c)%n
logger.kafka.name=kafka
logger.kafka.level=INFO
PROPS
}

start() {
  if running; then echo "kafka: already running (pid $(cat "$pidfile")) on 127.0.0.1:$port"; return; fi
  if listening "$port"; then echo "kafka: port $port is taken by another process" >&2; exit 1; fi
  configure
  local cp; cp=$(classpath)
  if [[ ! -f $dir/data/meta.properties ]]; then
    java -cp "$cp" -Dlog4j2.configurationFile="$dir/log4j2.properties" kafka.tools.StorageTool format \
      --config "$dir/server.properties" --cluster-id "$(java -cp "$cp" kafka.tools.StorageTool random-uuid)" \
      >"$dir/format.log" 2>&1 || { cat "$dir/format.log" >&2; exit 1; }
  fi
  nohup java -Xms256m -Xmx512m -cp "$cp" -Dlog4j2.configurationFile="$dir/log4j2.properties" \
    kafka.Kafka "$dir/server.properties" >"$dir/stdout.log" 2>&1 &
  echo $! >"$pidfile"
  for _ in $(seq 1 120); do
    if listening "$port"; then echo "kafka: up on 127.0.0.1:$port (pid $(cat "$pidfile"), data in $dir)"; return; fi
    if ! running; then echo "kafka: the broker exited; see $dir/stdout.log and $dir/server.log" >&2; exit 1; fi
    sleep 0.5
  done
  echo "kafka: not listening on $port after 60 s; see $dir/server.log" >&2
  exit 1
}

stop() {
  if ! running; then echo "kafka: not running"; rm -f "$pidfile"; return; fi
  local pid; pid=$(cat "$pidfile")
  kill "$pid"
  for _ in $(seq 1 60); do
    if ! kill -0 "$pid" 2>/dev/null; then rm -f "$pidfile"; echo "kafka: stopped"; return; fi
    sleep 0.5
  done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pidfile"
  echo "kafka: killed after 30 s"
}

status() {
  if running; then echo "kafka: running (pid $(cat "$pidfile")) on 127.0.0.1:$port"; else echo "kafka: not running"; exit 3; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
