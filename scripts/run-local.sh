#!/usr/bin/env bash
# The main job on embedded defaults: a real Kafka broker, the dataset-service, the trainer-service, the eval-service
# and the inference-gateway (H2 under the data directory), every sample file of docs/examples/ ingested as a dataset version
# (reports and dataset.events printed), then aidreams260K fine-tuned with QLoRA on one of them through Kafka: a
# TrainingRequested goes to training.requests, the job's events on training.events are printed until it completes,
# and so is the adapter's path. The eval-service evaluates the result from training.events against the base on the
# dataset's validation split; the script waits for it and prints both sides' metrics and the verdict with its
# reasons (also published on evaluation.events). The gateway registers the result from training.events as a version; the script
# creates an API key. The training request names a route (the dataset's name, e.g. faq); on the first run the script
# creates it, serving the base model as a version of its own, so that the trained version is judged against it live:
# a version that passed its evaluation enters the route as a canary, the script sends chat requests through the
# OpenAI-style /v1/chat/completions while the gateway checks the canary against the stable version and steps its
# share up until it promotes it (or rolls it back with its reasons); each check is printed. A failed evaluation keeps
# the version from traffic. Last, a training question is asked of the route, and the addresses of the jobs, the
# evaluation, the route and the metrics are printed. A second run reuses the built jars, the data and the route.
#   scripts/run-local.sh            build if needed, start, ingest, fine-tune, serve, leave the services running
#   scripts/run-local.sh loop       the same, then the loop closes by itself: drifted traffic on the route, the gateway's
#                                   DriftDetected, the dataset-service's retraining (a child version of the traffic),
#                                   training, evaluation, canary and promotion of its result, with the retraining's
#                                   audit trail (GET /retrainings/{id})
#   scripts/run-local.sh stop       stop what it started
# Settings (environment): ANVIL_HOME (.anvil/), ANVIL_DATA_DIR ($ANVIL_HOME/data), ANVIL_SHARED_DIR (../shared, which
# holds models/aidreams260K), DATASET_PORT (8081), TRAINER_PORT (8082), EVAL_PORT (8083), GATEWAY_PORT (8080),
# TRAIN_DATASET (faq), TRAIN_STEPS (60), TRAIN_TIMEOUT (seconds, 300), EVAL_TIMEOUT (seconds, 300), KAFKA_PORT (9092),
# ROLLOUT_TIMEOUT (seconds, 240); the canary's pace for a demo (the gateway's anvil.gateway.rollout.*, whose own
# defaults are for real traffic): ROLLOUT_INTERVAL (PT5S between checks), ROLLOUT_MIN_REQUESTS (5 a check), 20 %
# steps to 60 %. The gateway's admin key is generated for the run
# into $ANVIL_HOME/gateway-admin-key (mode 600, handed over by environment, never printed); the API key the script
# creates is kept in $ANVIL_HOME/gateway-api-key (mode 600); the key that seals the traffic the gateway keeps in
# $ANVIL_HOME/gateway-traffic-key (mode 600, made once).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
home=${ANVIL_HOME:-$root/.anvil}
export ANVIL_DATA_DIR=${ANVIL_DATA_DIR:-$home/data}
shared=${ANVIL_SHARED_DIR:-$root/../shared}
dataset_port=${DATASET_PORT:-8081}
trainer_port=${TRAINER_PORT:-8082}
gateway_port=${GATEWAY_PORT:-8080}
eval_port=${EVAL_PORT:-8083}
eval_timeout=${EVAL_TIMEOUT:-300}
train_dataset=${TRAIN_DATASET:-faq}
train_steps=${TRAIN_STEPS:-60}
train_timeout=${TRAIN_TIMEOUT:-300}
rollout_timeout=${ROLLOUT_TIMEOUT:-240}
bootstrap=127.0.0.1:${KAFKA_PORT:-9092}
export KAFKA_BOOTSTRAP_SERVERS=$bootstrap   # the services' kafka.bootstrap.servers
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
export THP_MEM_ALLOC_ENABLE=${THP_MEM_ALLOC_ENABLE:-1}

fail() { echo "run-local: $*" >&2; exit 1; }

stop_service() { # name
  local pidfile=$home/$1.pid pid
  if [[ -f $pidfile ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    pid=$(cat "$pidfile")
    kill "$pid"
    # Wait for it: a restart must not find the embedded database still locked.
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    echo "$1: stopped"
  fi
  rm -f "$pidfile"
}

start_service() { # name jar port ready-path
  local name=$1 jar=$2 port=$3 ready=$4 pidfile=$home/$1.pid
  stop_service "$name"
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then fail "$name: port $port is taken by another process"; fi
  nohup java -Dquarkus.http.port="$port" -jar "$jar" >"$home/$name.log" 2>&1 &
  echo $! >"$pidfile"
  for i in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$port$ready" >/dev/null 2>&1; then break; fi
    kill -0 "$(cat "$pidfile")" 2>/dev/null || fail "$name exited; see $home/$name.log"
    [[ $i -eq 120 ]] && fail "$name not ready after 60 s; see $home/$name.log"
    sleep 0.5
  done
  echo "$name: ready on http://127.0.0.1:$port (data in $ANVIL_DATA_DIR, log $home/$name.log)"
}

command=${1:-run}
[[ $command == run || $command == loop || $command == stop ]] || fail "unknown command '$command' (run, loop or stop)"
if [[ $command == stop ]]; then
  stop_service inference-gateway; stop_service eval-service; stop_service trainer-service; stop_service dataset-service
  scripts/kafka.sh stop
  exit 0
fi

base_model=$shared/models/aidreams260K
[[ -f $base_model/config.json ]] || fail "the base model is missing: no $base_model/config.json (set ANVIL_SHARED_DIR to the folder holding models/aidreams260K)"
mkdir -p "$home" "$ANVIL_DATA_DIR/models"
# The trainer finds models by name under the data directory's models/: a link to the shared copy, never a copy.
model_link=$ANVIL_DATA_DIR/models/aidreams260K
if [[ -L $model_link || ! -e $model_link ]]; then ln -sfn "$(cd "$base_model" && pwd)" "$model_link"; fi

dataset_jar=dataset-service/target/quarkus-app/quarkus-run.jar
trainer_jar=trainer-service/target/quarkus-app/quarkus-run.jar
gateway_jar=inference-gateway/target/quarkus-app/quarkus-run.jar
eval_jar=eval-service/target/quarkus-app/quarkus-run.jar
stale() { [[ ! -f $1 || -n $(find events/src llm-runtime/src llm-runtime/pom.xml service-kit/src "${@:2}" -newer "$1" -print -quit) ]]; }
if stale "$dataset_jar" dataset-service/src dataset-service/pom.xml || stale "$trainer_jar" trainer-service/src trainer-service/pom.xml \
   || stale "$gateway_jar" inference-gateway/src inference-gateway/pom.xml || stale "$eval_jar" eval-service/src eval-service/pom.xml; then
  echo "building dataset-service, trainer-service, eval-service and inference-gateway ..."
  mvn -q -B package -DskipTests -pl dataset-service,trainer-service,eval-service,inference-gateway -am
fi

scripts/kafka.sh start
kafka_cp=$(cat "$home/kafka/classpath.txt")
start_service trainer-service "$trainer_jar" "$trainer_port" /jobs
start_service eval-service "$eval_jar" "$eval_port" /q/health/ready
# The gateway's admin key: made for this run, kept readable by the owner only, handed over by environment.
admin_key_file=$home/gateway-admin-key
(umask 077; head -c 32 /dev/urandom | base64 | tr -d '/+=\n' >"$admin_key_file")
# The key that seals the traffic the gateway keeps for retraining: made once and kept, so that what earlier runs kept
# stays readable.
traffic_key_file=$home/gateway-traffic-key
[[ -s $traffic_key_file ]] || (umask 077; head -c 32 /dev/urandom | base64 >"$traffic_key_file")
ANVIL_GATEWAY_ADMIN_KEY=$(cat "$admin_key_file") ANVIL_GATEWAY_TRAFFIC_KEY=$(cat "$traffic_key_file") \
  ANVIL_GATEWAY_ROLLOUT_INTERVAL=${ROLLOUT_INTERVAL:-PT5S} ANVIL_GATEWAY_ROLLOUT_MIN_REQUESTS=${ROLLOUT_MIN_REQUESTS:-5} \
  ANVIL_GATEWAY_ROLLOUT_FIRST_WEIGHT=20 ANVIL_GATEWAY_ROLLOUT_STEP_WEIGHT=20 ANVIL_GATEWAY_ROLLOUT_MAX_WEIGHT=60 \
  ANVIL_GATEWAY_DRIFT_REFERENCE_SIZE=40 ANVIL_GATEWAY_DRIFT_WINDOW_SIZE=40 ANVIL_GATEWAY_DRIFT_MIN_SAMPLES=20 \
  start_service inference-gateway "$gateway_jar" "$gateway_port" /q/health/ready
gateway=http://127.0.0.1:$gateway_port
field() { # name json: the value of the first "name": in json, quotes dropped; empty when absent or null
  { grep -o "\"$1\" *: *\(\"[^\"]*\"\|[-0-9.eE+]*\)" <<<"$2" || true; } | head -1 | sed 's/^[^:]*: *//; s/"//g'
}
admin() { # method path [json]: the gateway's admin API; prints the body, fails on an HTTP error
  curl -fsS -X "$1" -H "Authorization: Bearer $(cat "$admin_key_file")" -H 'Content-Type: application/json' \
    ${3:+--data "$3"} "$gateway$2"
}

# The dataset-service retrains on the gateway's kept traffic when a served version drifts (after an approval; with
# `loop` automatically), with a gateway key that may only read traffic (scope traffic:read), made for this run and handed over by environment.
service_key_file=$home/dataset-service-gateway-key
(umask 077; field key "$(admin POST /admin/keys '{"name":"dataset-service","scopes":["traffic:read"]}')" >"$service_key_file")
retraining_mode=manual   # the product's default: a person approves (POST /retrainings/{id}/approve)
[[ $command == loop ]] && retraining_mode=automatic
ANVIL_DATASET_RETRAINING_MODE=$retraining_mode ANVIL_DATASET_RETRAINING_GATEWAY_URL=$gateway \
  ANVIL_DATASET_RETRAINING_GATEWAY_KEY=$(cat "$service_key_file") ANVIL_DATASET_RETRAINING_COOLDOWN=PT1M \
  start_service dataset-service "$dataset_jar" "$dataset_port" /q/health/ready

train_version=
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
  report=$(curl -sS -X POST -H "Content-Type: $type" --data-binary "@$file" -w '\n%{http_code}' \
    "http://127.0.0.1:$dataset_port/datasets/$name/versions?validationFraction=0.2&seed=1")
  status=${report##*$'\n'}
  report=${report%$'\n'*}
  echo "$report"
  [[ $status == 200 || $status == 201 ]] || fail "ingesting $file answered HTTP $status"
  if [[ $name == "$train_dataset" ]]; then
    train_version=$(grep -o '"version" *: *"[0-9a-f]*"' <<<"$report" | head -1 | sed 's/.*"\([0-9a-f]*\)"$/\1/')
  fi
done
[[ -n $train_version ]] || fail "no version of dataset '$train_dataset' was created (TRAIN_DATASET names a file of docs/examples/)"

echo
echo "== events on dataset.events"
java -cp "$kafka_cp" org.apache.kafka.tools.consumer.ConsoleConsumer \
  --bootstrap-server "$bootstrap" --topic dataset.events --from-beginning --timeout-ms 5000 2>/dev/null || true

# ---- the route the trained version will serve on: created on the first run with the base model as its stable
# version (registered from its folder, like any full model), so that the trained version enters it as a canary
route=$train_dataset
api_key_file=$home/gateway-api-key
created=$(admin POST /admin/keys '{"name":"run-local"}')
(umask 077; field key "$created" >"$api_key_file")
echo
echo "== the route $route on the inference-gateway"
echo "POST /admin/keys: an API key, prefix $(field prefix "$created"), kept in $api_key_file"
if routed=$(admin GET "/admin/routes/$route" 2>/dev/null); then
  echo "route $route exists (a previous run): stable version $(field version "$routed")"
else
  base_version=aidreams260K-base
  admin GET "/admin/versions/$base_version" >/dev/null 2>&1 \
    || admin POST /admin/versions '{"id":"'$base_version'","modelPath":"models/aidreams260K"}' >/dev/null
  echo "PUT /admin/routes/$route: $(admin PUT "/admin/routes/$route" '{"version":"'$base_version'"}')"
fi

# ---- fine-tune through Kafka
job_id=local-$(date -u +%Y%m%d-%H%M%S)
events_file=$home/$job_id.events
# Small enough for a laptop CPU in seconds, enough for the 6 FAQ answers to be learnt by heart (train loss ~0.3).
hyperparameters='{"learningRate":0.01,"maxSteps":'$train_steps',"microBatchSize":2,"maxSeqLength":128,"loraDropout":0.0,"evalInterval":20,"checkpointInterval":20,"seed":0}'
request='{"id":"'$(cat /proc/sys/kernel/random/uuid 2>/dev/null || uuidgen)'","type":"TrainingRequested","source":"anvil/run-local","time":"'$(date -u +%Y-%m-%dT%H:%M:%SZ)'","subject":"'$job_id'","schemaVersion":1,"data":{"jobId":"'$job_id'","baseModel":"aidreams260K","dataset":{"name":"'$train_dataset'","version":"'$train_version'"},"method":"qlora","hyperparameters":'$hyperparameters',"route":"'$train_dataset'"}}'

# Read training.events from the start, keyed lines only, before publishing: nothing the job says can be missed.
java -cp "$kafka_cp" org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "$bootstrap" \
  --topic training.events --from-beginning --property print.key=true --property key.separator='|' \
  >"$events_file" 2>"$events_file.err" &
watcher=$!
trap 'kill "$watcher" 2>/dev/null || true' EXIT

echo
echo "== TrainingRequested on training.requests (key $job_id)"
echo "$request"
printf '%s|%s\n' "$job_id" "$request" | java -cp "$kafka_cp" org.apache.kafka.tools.ConsoleProducer \
  --bootstrap-server "$bootstrap" --topic training.requests --property parse.key=true --property key.separator='|' \
  2>"$home/producer.err" || fail "could not publish the request; see $home/producer.err"

echo
echo "== events on training.events for $job_id (waiting up to $train_timeout s)"
deadline=$((SECONDS + train_timeout))
printed=0
outcome=
while [[ -z $outcome ]]; do
  mapfile -t lines < <(grep "^$job_id|" "$events_file" || true)
  for ((i = printed; i < ${#lines[@]}; i++)); do
    event=${lines[i]#*|}
    type=$(field type "$event")
    case $type in
      TrainingStarted) echo "  $type: $(field totalSteps "$event") steps, from step $(field resumedFromStep "$event")" ;;
      TrainingProgress) # every 10th step and each validation
        step=$(field step "$event")
        validation=$(field validationLoss "$event")
        if [[ -n $validation || $step == 1 || $((step % 10)) == 0 ]]; then
          line=$(printf '  %s: step %s/%s, train loss %.3f' "$type" "$step" "$(field totalSteps "$event")" \
            "$(field trainLoss "$event")")
          [[ -n $validation ]] && line+=$(printf ', validation loss %.3f' "$validation")
          echo "$line"
        fi ;;
      CheckpointSaved) echo "  $type: $(field path "$event")" ;;
      TrainingCompleted)
        printf '  %s: best step %s, validation loss %.3f before, %.3f best; adapter %s\n' "$type" \
          "$(field bestStep "$event")" "$(field initialValidationLoss "$event")" "$(field validationLoss "$event")" \
          "$(field adapterPath "$event")"
        outcome=$type ;;
      TrainingFailed) echo "  $type: $(field reason "$event")"; outcome=$type ;;
      *) echo "  $type: $event"; outcome=$type ;;
    esac
  done
  printed=${#lines[@]}
  [[ -n $outcome ]] && break
  kill -0 "$(cat "$home/trainer-service.pid")" 2>/dev/null || fail "trainer-service exited; see $home/trainer-service.log"
  kill -0 "$watcher" 2>/dev/null || fail "the training.events reader stopped; see $events_file.err"
  ((SECONDS < deadline)) || fail "no TrainingCompleted for $job_id within $train_timeout s (GET http://127.0.0.1:$trainer_port/jobs/$job_id; log $home/trainer-service.log)"
  sleep 1
done
[[ $outcome == TrainingCompleted ]] || fail "job $job_id ended with $outcome"
adapter=$ANVIL_DATA_DIR/$(field adapterPath "${lines[printed - 1]#*|}")

echo
echo "== the adapter (PEFT layout) of job $job_id"
echo "$adapter"
ls -l "$adapter"
echo
prompt="Your question"
if [[ $train_dataset == faq ]]; then
  prompt="Which regions are available?"
  echo "Try it on a training question of faq.csv (expect its answer: Frankfurt, Dublin, Virginia, Oregon and Singapore.):"
else
  echo "Try it:"
fi
echo "  scripts/anvil-llm generate --model $model_link --adapter $adapter --chat --prompt \"$prompt\" --max-tokens 40 --temperature 0"

# ---- the verdict: the eval-service evaluated the job's result from training.events
echo
echo "== the evaluation of $job_id against its base (eval-service, from training.events; waiting up to $eval_timeout s)"
deadline=$((SECONDS + eval_timeout))
while :; do
  evaluation=$(curl -fsS "http://127.0.0.1:$eval_port/evaluations?modelVersion=$job_id" 2>/dev/null || true)
  status=$(field status "$evaluation")
  [[ $status == completed || $status == failed ]] && break
  kill -0 "$(cat "$home/eval-service.pid")" 2>/dev/null || fail "eval-service exited; see $home/eval-service.log"
  ((SECONDS < deadline)) || fail "no finished evaluation of $job_id within $eval_timeout s (status '$status'; log $home/eval-service.log)"
  sleep 1
done
evaluation_id=$(field id "$evaluation")
evaluation=$(curl -fsS "http://127.0.0.1:$eval_port/evaluations/$evaluation_id")
if command -v python3 >/dev/null; then
  python3 - "$evaluation" <<'PY'
import json, sys
e = json.loads(sys.argv[1])
print(f"evaluation {e['id']}: {e['status']}, {e['candidate'].get('adapterPath') or e['candidate'].get('modelPath')} "
      f"against {e['baseline']['baseModel']} on {e['dataset']['name']}/{e['dataset']['version'][:12]}")
if e.get('error'): print("  error:", e['error'])
m = e.get('metrics') or {}
cand, base = m.get('candidate', {}), m.get('baseline', {})
keys = ['examples', 'meanNll', 'perplexity', 'bitsPerByte', 'exactMatch', 'tokenF1', 'bleu', 'rougeL', 'chrF',
        'emptyAnswerRate', 'repetitionRate', 'generatedTokensPerSecond', 'memoryBytes']
print(f"  {'metric':<26}{'base':>14}{'candidate':>14}")
for k in keys:
    if k in cand or k in base:
        fmt = lambda v: '-' if v is None else (f"{v:.0f}" if abs(v) >= 1000 or float(v).is_integer() else f"{v:.4f}")
        print(f"  {k:<26}{fmt(base.get(k)):>14}{fmt(cand.get(k)):>14}")
print(f"verdict: {e.get('verdict')}")
for r in e.get('reasons') or []: print("  " + r)
ex = (e.get('examples') or [])[:1]
for x in ex:
    print(f"example (line {x['line']}): reference {x['reference']!r}")
    print(f"  base:      {x.get('baselineOutput')!r}")
    print(f"  candidate: {x.get('candidateOutput')!r}")
PY
else
  echo "$evaluation"
fi
echo "Evaluation: curl -s localhost:$eval_port/evaluations/$evaluation_id"

# ---- serve it: the gateway registered the job's version from training.events; name it and ask it
echo
echo "== the version on the inference-gateway (registered from training.events)"
for i in $(seq 1 120); do
  version=$(admin GET "/admin/versions/$job_id" 2>/dev/null) && break
  kill -0 "$(cat "$home/inference-gateway.pid")" 2>/dev/null || fail "inference-gateway exited; see $home/inference-gateway.log"
  [[ $i -eq 120 ]] && fail "the gateway registered no version $job_id within 60 s; see $home/inference-gateway.log"
  sleep 0.5
done
echo "GET /admin/versions/$job_id: $version"
# The verdict on evaluation.events takes the version to the route its request named: beside the stable version
# as a canary, which the gateway checks against it while traffic flows.
for i in $(seq 1 120); do
  rollout=$(admin GET "/admin/versions/$job_id/rollout" 2>/dev/null) && break
  [[ $i -eq 120 ]] && fail "the gateway took no verdict on $job_id within 60 s; see $home/inference-gateway.log"
  sleep 0.5
done
state=$(field state "$rollout")
echo "rollout of $job_id on route $route: $state ($(field reason "$rollout"))"
questions=("Which regions are available?" "How do I invite a teammate?" "Can I pay by bank transfer?"
  "What is the monthly price of the Team plan?")
chat_body() { # question [user]
  printf '{"model":"%s","messages":[{"role":"user","content":"%s"}],"max_tokens":40,"temperature":0%s}' "$route" "$1" \
    "${2:+,\"user\":\"$2\"}"
}
ask() { # question user: one chat completion on the route, past the response cache so that each one reaches a version
  curl -sS -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $(cat "$api_key_file")" \
    -H 'Content-Type: application/json' -H 'Cache-Control: no-cache' --data "$(chat_body "$1" "$2")" \
    "$gateway/v1/chat/completions"
}
users=0
: >"$home/canary-codes.txt"
ask_round() { # question...: each asked by a new user at once; a user keeps the variant its name hashes to, so the
  # canary's share of users is its share of requests. Waits on its own pids only (the training.events reader runs
  # in the background too), then a second, to stay within the key's 600 requests a minute.
  local asking=() q
  for q in "$@"; do
    users=$((users + 1))
    ask "$q" "user-$users" >>"$home/canary-codes.txt" & asking+=($!)
  done
  wait "${asking[@]}"
  sleep 1
}
follow_rollout() { # version: chat requests on the route while the gateway checks the canary, each check printed
  local version=$1 state shown=0 routed deadline=$((SECONDS + rollout_timeout))
  echo
  echo "== the canary: chat requests on route $route while the gateway checks $version against the stable version"
  state=CANARY
  while [[ $state == CANARY ]]; do
    ask_round "${questions[@]}" "${questions[@]}"
    routed=$(admin GET "/admin/routes/$route")
    # The new checks, printed, then a last line "<checks so far> <state>": the route read once a round.
    report=$(python3 - "$routed" "$shown" <<'PY'
import json, sys
analysis = json.loads(sys.argv[1]).get('analysis') or {}
checks = list(reversed(analysis.get('checks') or []))
for c in checks[int(sys.argv[2]):]:
    print(f"  check at {c['at'][11:19]}: canary at {c['weight']}%: {c['outcome']}")
    for r in c.get('reasons') or []: print("    " + r)
print(len(checks), analysis.get('state', ''))
PY
) || fail "unreadable answer to GET /admin/routes/$route: $routed"
    [[ $report == *$'\n'* ]] && echo "${report%$'\n'*}"
    read -r shown state <<<"${report##*$'\n'}"
    kill -0 "$(cat "$home/inference-gateway.pid")" 2>/dev/null || fail "inference-gateway exited; see $home/inference-gateway.log"
    ((SECONDS < deadline)) || fail "the canary $version was neither promoted nor rolled back within $rollout_timeout s (GET /admin/routes/$route)"
  done
  rollout=$(admin GET "/admin/versions/$version/rollout")
  echo "rollout of $version on route $route: $(field state "$rollout") ($(field reason "$rollout"))"
}
if [[ $state == CANARY ]]; then
  follow_rollout "$job_id"
elif [[ $state == REJECTED ]]; then
  echo "the gate kept $job_id from traffic; route $route keeps serving its stable version"
fi
prompt=${questions[0]}
chat=$(chat_body "$prompt")
echo
echo "== POST /v1/chat/completions (model $route): $prompt"
answer=$(curl -sS -D "$home/gateway-answer.headers" -H "Authorization: Bearer $(cat "$api_key_file")" \
  -H 'Content-Type: application/json' --data "$chat" "$gateway/v1/chat/completions")
echo "$answer"
served_by=$(grep -i '^x-anvil-model-version:' "$home/gateway-answer.headers" | cut -d' ' -f2 | tr -d '\r')
echo "served by version: $served_by"
echo "answer: $(field content "$answer")"
sleep 3 # the traffic store writes every 2 s
echo "kept for retraining (sealed with $traffic_key_file): GET /admin/versions/$served_by/traffic?limit=1:"
echo "  $(admin GET "/admin/versions/$served_by/traffic?limit=1")"
echo "drift of $served_by: GET /admin/drift/$served_by (its reference fills with its first requests):"
echo "  $(admin GET "/admin/drift/$served_by" | head -c 300)..."
# ---- the loop closes by itself: drifted traffic -> DriftDetected -> retraining -> evaluation -> canary -> promotion
if [[ $command == loop ]]; then
  stable=$served_by
  echo
  echo "== the loop: the version $stable serves route $route; its drift reference fills with its first 40 requests"
  for i in $(seq 1 30); do
    reference=$(admin GET "/admin/drift/$stable")
    [[ $(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["drift"]["reference"]["complete"])' "$reference") == True ]] && break
    ask_round "${questions[@]}" "${questions[@]}"
  done
  echo "  reference: $(python3 -c 'import json,sys; r=json.loads(sys.argv[1])["drift"]["reference"]; print(r["samples"], "requests, complete:", r["complete"])' "$reference")"
  echo "== drifted traffic: users now ask long questions of another kind"
  # Longer than the FAQ's questions (which the monitored prompt length will show), within the small model's 128
  # positions with the answer.
  drifted=("Summarise the incident report for the board: outages, root causes and which actions are still open."
    "How do we keep invoices consistent while moving billing from nightly batches to streaming events?")
  in_flight() { # the route's retraining that holds it (waiting, building or requested), if any
    curl -fsS "http://127.0.0.1:$dataset_port/retrainings?route=$route" | python3 -c '
import json, sys
held = [r for r in json.load(sys.stdin) if r["status"] in ("PENDING_APPROVAL", "BUILDING", "REQUESTED")]
print(held[0]["id"] if held else "")'
  }
  # One retraining at a time per route: one may already be in flight (an alert of an earlier run, or of the traffic
  # above), and then that is the one to follow.
  retraining=$(in_flight) deadline=$((SECONDS + rollout_timeout))
  while [[ -z $retraining ]]; do
    ask_round "${drifted[@]}" "${drifted[@]}" "${drifted[@]}" "${drifted[@]}"
    retraining=$(in_flight)
    ((SECONDS < deadline)) || fail "no retraining on route $route within $rollout_timeout s (GET /admin/drift/$stable; log $home/dataset-service.log)"
  done
  trail=$(curl -fsS "http://127.0.0.1:$dataset_port/retrainings/$retraining")
  echo "  DriftDetected on $(python3 -c 'import json,sys; t=json.loads(sys.argv[1])["trigger"]; print(t["modelVersion"] + ": " + t["feature"], t["statistic"], round(t["value"], 3), "past", t["threshold"])' "$trail")"
  if [[ $(field status "$trail") == PENDING_APPROVAL ]]; then
    echo "  it waits for an approval (decided under mode manual): POST /retrainings/$retraining/approve"
    curl -fsS -X POST "http://127.0.0.1:$dataset_port/retrainings/$retraining/approve" >/dev/null
  fi
  echo "== the dataset-service's retraining $retraining (GET /retrainings/$retraining)"
  deadline=$((SECONDS + train_timeout))
  while :; do
    trail=$(curl -fsS "http://127.0.0.1:$dataset_port/retrainings/$retraining")
    status=$(field status "$trail")
    [[ $status != PENDING_APPROVAL && $status != BUILDING ]] && break
    ((SECONDS < deadline)) || fail "retraining $retraining still $status after $train_timeout s"
    sleep 1
  done
  retrain_job=$(field jobId "$trail")
  echo "  $status: child version $(field childVersion "$trail") of $(field dataset "$trail")/$(field parentVersion "$trail"), job $retrain_job"
  [[ $status == REQUESTED ]] || fail "retraining $retraining ended $status: $trail"
  echo "== training $retrain_job, then its evaluation and verdict"
  deadline=$((SECONDS + train_timeout + eval_timeout))
  while :; do
    rollout=$(admin GET "/admin/versions/$retrain_job/rollout" 2>/dev/null) && break
    ((SECONDS < deadline)) || fail "no verdict on $retrain_job within $((train_timeout + eval_timeout)) s (GET localhost:$trainer_port/jobs/$retrain_job)"
    sleep 2
  done
  echo "  job: $(curl -fsS "http://127.0.0.1:$trainer_port/jobs/$retrain_job" | head -c 200)..."
  state=$(field state "$rollout")
  echo "  rollout of $retrain_job on route $route: $state ($(field reason "$rollout"))"
  [[ $state == CANARY ]] && follow_rollout "$retrain_job"
  for i in $(seq 1 20); do
    trail=$(curl -fsS "http://127.0.0.1:$dataset_port/retrainings/$retraining")
    [[ $(field status "$trail") != REQUESTED ]] && break
    sleep 0.5
  done
  echo "== the retraining's audit trail: GET /retrainings/$retraining"
  python3 -c 'import json,sys; t=json.loads(sys.argv[1]); print("  status", t["status"], "| trace", t.get("traceparent")); [print("  " + json.dumps(n)) for n in t.get("steps") or []]' "$trail"
fi
echo
echo "== where to look"
echo "  ask again:   curl -s $gateway/v1/chat/completions -H \"Authorization: Bearer \$(cat $api_key_file)\" -H 'Content-Type: application/json' -d '$chat'"
echo "  the job:     curl -s localhost:$trainer_port/jobs/$job_id   (its metrics: /jobs/$job_id/metrics)"
echo "  evaluation:  curl -s localhost:$eval_port/evaluations/$evaluation_id"
echo "  the route:   curl -s -H \"Authorization: Bearer \$(cat $admin_key_file)\" $gateway/admin/routes/$route   (its rollout and history)"
echo "  metrics:     curl -s localhost:{$gateway_port,$dataset_port,$trainer_port,$eval_port}/q/metrics | grep ^anvil_"
echo "  retrainings: curl -s localhost:$dataset_port/retrainings"
echo "The services keep running; stop them with: scripts/run-local.sh stop"
