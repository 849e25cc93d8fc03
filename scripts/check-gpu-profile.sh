#!/usr/bin/env bash
# Shows and checks which libtorch natives trainer-service resolves, with and without -Pgpu, without downloading
# the natives themselves (dependency:collect reads POMs only; the GPU jars are about 840 MB).
#   scripts/check-gpu-profile.sh [extra Maven flags, e.g. -o]
# Needs llm-runtime installed (mvn install -DskipTests -pl events,llm-runtime) and, offline, the POMs of
# org.bytedeco:cuda and cuda-redist in the local repository (a first online run fetches them).
set -euo pipefail
cd "$(dirname "$0")/.."

plan() {
  local out
  if ! out=$(mvn -B -Dstyle.color=never "$@" org.apache.maven.plugins:maven-dependency-plugin:3.9.0:collect \
      -pl trainer-service 2>&1); then
    echo "$out" | grep -E '^\[ERROR\]' >&2
    echo "FAIL: Maven could not collect trainer-service's dependencies with: $*" >&2
    return 1
  fi
  sed -n 's/^\[INFO\] *\(org\.bytedeco:[^ ]*\).*/\1/p' <<<"$out" | sort
}

cpu=$(plan "$@")
gpu=$(plan -Pgpu "$@")
echo "default build:"; echo "$cpu" | sed 's/^/  /'
echo "-Pgpu:"; echo "$gpu" | sed 's/^/  /'

# The versions the parent pom pins (what -Pgpu must resolve to).
prop() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" pom.xml | head -n 1; }
torch=$(prop pytorch.version) cuda=$(prop cuda.version) openblas=$(prop openblas.version)

fail=0
expect() { # <plan name> <plan> <present|absent> <coordinates>
  if grep -qxF "$4" <<<"$2"; then found=present; else found=absent; fi
  if [[ $found != "$3" ]]; then echo "FAIL: $1 should have $4 $3" >&2; fail=1; fi
}
expect default "$cpu" present "org.bytedeco:pytorch:jar:linux-x86_64:$torch:compile"
expect default "$cpu" absent "org.bytedeco:pytorch:jar:linux-x86_64-gpu:$torch:compile"
expect -Pgpu "$gpu" absent "org.bytedeco:pytorch:jar:linux-x86_64:$torch:compile"
for c in "org.bytedeco:pytorch:jar:$torch" "org.bytedeco:pytorch:jar:linux-x86_64-gpu:$torch" \
         "org.bytedeco:cuda:jar:$cuda" "org.bytedeco:cuda:jar:linux-x86_64:$cuda" \
         "org.bytedeco:cuda-redist:jar:linux-x86_64:$cuda" "org.bytedeco:openblas:jar:linux-x86_64:$openblas"; do
  expect -Pgpu "$gpu" present "$c:compile"
done
((fail == 0)) && echo "OK: -Pgpu swaps pytorch's CPU natives for linux-x86_64-gpu and the CUDA presets $cuda"
exit "$fail"
