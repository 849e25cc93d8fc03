#!/usr/bin/env bash
# Decode benchmark: Anvil's llm-runtime (libtorch) against Jlama 0.8.4 on the same random-weight fp32 Llama
# checkpoints (llama2.c's stories15M and stories110M shapes), with the same number of threads.
#
#   scripts/bench-decode.sh            # both shapes, 2 rounds, 2 threads
#   ROUNDS=3 THREADS=2 SHAPES="llama110m" scripts/bench-decode.sh
#
# Each round runs Anvil's JVM, then Jlama's (the order flips every round, so that a load spike from other
# processes hits both alike); each JVM reports the best of 3 timed runs after a warm-up run, and the table takes
# the best over the rounds. Logs go to target/bench-decode/<time>/. Metrics (see DecodeBenchmark's javadoc):
#   decode_b1  new tokens/s, 128 greedy tokens after a 16-token prompt, one sequence (prompt pass included)
#   decode_b8  the same for 8 sequences decoded together: all 1024 new tokens/s (Anvil only: Jlama 0.8.4 has no
#              multi-sequence forward, so its batch-1 rate is the reference)
#   prefill    prompt tokens/s for a 128-token (stories15m) or 256-token (llama110m) prompt
# Goals: Anvil decode_b1 >= Jlama decode_b1; Anvil decode_b8 >= 3x Jlama decode_b1.
#
# Needs: the Anvil build's dependencies in ~/.m2 (offline build), a JDK 21+ for Jlama (JLAMA_JAVA_HOME, default
# Temurin 25), and Maven Central the first time (jlama-core, jlama-native, slf4j-simple).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

threads=${THREADS:-2}
rounds=${ROUNDS:-2}
shapes=${SHAPES:-"stories15m llama110m"}
models=${MODELS_DIR:-target/bench-models}
jlama_java_home=${JLAMA_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
out=target/bench-decode/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"

echo "== building (llm-runtime test classes; bench/jlama with $jlama_java_home)"
mvn -o -B -q -pl llm-runtime test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
if ! JAVA_HOME=$jlama_java_home mvn -o -B -q -f bench/jlama/pom.xml package 2>/dev/null; then
    JAVA_HOME=$jlama_java_home mvn -B -q -f bench/jlama/pom.xml package # first run: fetch Jlama from Maven Central
fi
anvil_cp=llm-runtime/target/classes:llm-runtime/target/test-classes:$(cat llm-runtime/target/cp.txt)
jlama_cp=bench/jlama/target/classes:$(cat bench/jlama/target/classpath.txt)

echo "== checkpoints in $models"
java -cp "$anvil_cp" dev.anvil.llm.bench.BenchCheckpoints "$models"

run_anvil() { # shape, log
    # Passive OpenMP waiting and one OpenBLAS thread: see dev.anvil.llm.torch.Torch for why.
    OMP_WAIT_POLICY=PASSIVE THP_MEM_ALLOC_ENABLE=1 java -Danvil.torch.threads="$threads" -Danvil.torch.blas-threads=1 \
        -cp "$anvil_cp" dev.anvil.llm.bench.DecodeBenchmark "$models/$1" >"$2" 2>&1
}

run_jlama() { # shape, log
    local prefill=128
    [ "$1" = llama110m ] && prefill=256
    # Jlama's Vector API kernels need the incubator module; --enable-preview as its README asks (its jars need no
    # preview feature on Java 22+); native access for its C kernels (jlama-native, via the FFM API).
    "$jlama_java_home/bin/java" --add-modules jdk.incubator.vector --enable-preview --enable-native-access=ALL-UNNAMED \
        -cp "$jlama_cp" dev.anvil.bench.jlama.JlamaDecodeBenchmark "$models/$1" "$threads" "$prefill" >"$2" 2>&1
}

echo "== machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for shape in $shapes; do
    for round in $(seq 1 "$rounds"); do
        if [ $((round % 2)) -eq 1 ]; then order="anvil jlama"; else order="jlama anvil"; fi
        for engine in $order; do
            log=$out/$engine-$shape-$round.log
            "run_$engine" "$shape" "$log" || { echo "$engine $shape failed, see $log"; tail -20 "$log"; exit 1; }
            printf '%-6s %-10s round %d: %s\n' "$engine" "$shape" "$round" \
                "$(grep '^RESULT' "$log" | awk '{printf "%s %s  ", $2, $3}')(load $(grep -o 'load [0-9.]*' "$log" | head -1 | cut -d' ' -f2))"
        done
    done
done
echo "== load at end: $(cut -d' ' -f1-3 /proc/loadavg); logs in $out"

# Best rate of each engine, shape and metric over all rounds.
best() { # engine shape metric
    cat "$out/$1-$2-"*.log | awk -v m="$3" '$1 == "RESULT" && $2 == m && $3 > best { best = $3 } END { print best + 0 }'
}

echo
printf '%-10s %-10s %12s %12s %8s   %s\n' shape metric "anvil tok/s" "jlama tok/s" ratio goal
for shape in $shapes; do
    j1=$(best jlama "$shape" decode_b1)
    for metric in decode_b1 decode_b8 prefill; do
        a=$(best anvil "$shape" "$metric")
        case $metric in
            decode_b1) j=$j1; goal=1; label="anvil b1 >= jlama b1" ;;
            decode_b8) j=$j1; goal=3; label="anvil b8 >= 3x jlama b1 (jlama at batch 1)" ;;
            prefill) j=$(best jlama "$shape" prefill); goal=0; label="-" ;;
        esac
        awk -v s="$shape" -v m="$metric" -v a="$a" -v j="$j" -v g="$goal" -v l="$label" 'BEGIN {
            r = j > 0 ? a / j : 0
            verdict = g == 0 ? "" : (r >= g ? "  met" : "  NOT met")
            printf "%-10s %-10s %12.1f %12.1f %7.2fx   %s%s\n", s, m, a, j, r, l, verdict }'
    done
done
echo
for shape in $shapes; do
    echo "first greedy tokens, $shape: anvil [$(grep -h '^TOKENS' "$out/anvil-$shape-1.log" | cut -d' ' -f2-9)]" \
        "jlama [$(grep -h '^TOKENS' "$out/jlama-$shape-1.log" | cut -d' ' -f2-9)]"
done
