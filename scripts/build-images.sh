#!/usr/bin/env bash
# Builds Anvil's container images from the services' Quarkus fast-jars, with docker or podman.
#   scripts/build-images.sh [--gpu] [--no-package] [--push <registry>]
# Images (the names k8s/ uses): anvil/dataset-service:<v>, anvil/trainer-service:<v> (CPU),
# anvil/eval-service:<v>, anvil/inference-gateway:<v> and, with --gpu, anvil/trainer-service:<v>-gpu; <v> is the
# project version without -SNAPSHOT (ANVIL_IMAGE_VERSION overrides it).
#   --gpu         also package trainer-service with -Pgpu and build src/main/docker/Dockerfile.gpu (the GPU natives
#                 are about 840 MB of jars; the image is based on nvidia/cuda, several GB)
#   --no-package  use the jars already in */target/quarkus-app (built with -Dquarkus.profile=pg; the trainer's
#                 natives, CPU or GPU, decide which trainer image is built)
#   --push REG    tag the images REG/anvil/...:<v> and push them (then point k8s at them: docs/kubernetes.md)
# The engine is ANVIL_CONTAINER_ENGINE, else docker, else podman, whichever answers. Extra Maven flags: ANVIL_MAVEN_ARGS.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

gpu=false package=true registry=
while (($#)); do
  case $1 in
    --gpu) gpu=true ;;
    --no-package) package=false ;;
    --push) registry=${2:?--push needs a registry, e.g. registry.example.com/team}; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "build-images: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

engine=${ANVIL_CONTAINER_ENGINE:-}
if [[ -z $engine ]]; then
  for candidate in docker podman; do
    if command -v "$candidate" >/dev/null && "$candidate" info >/dev/null 2>&1; then engine=$candidate; break; fi
  done
fi
if [[ -z $engine ]] || ! "$engine" info >/dev/null 2>&1; then
  echo "build-images: no working container engine (docker or podman that answers 'info'); set" \
       "ANVIL_CONTAINER_ENGINE or start one" >&2
  exit 1
fi

version=${ANVIL_IMAGE_VERSION:-$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -n 1)}
version=${version%-SNAPSHOT}
# Images for Kubernetes run on PostgreSQL, whose datasource kind is fixed when the jar is built.
mvn_package() { mvn -B -DskipTests -Dquarkus.profile=pg ${ANVIL_MAVEN_ARGS:-} package "$@"; }

# Which libtorch natives the packaged trainer holds: a CPU image must not get the GPU jars, nor the reverse.
natives() {
  local lib=trainer-service/target/quarkus-app/lib/main
  if compgen -G "$lib/org.bytedeco.pytorch-*-linux-x86_64-gpu.jar" >/dev/null; then echo gpu
  elif compgen -G "$lib/org.bytedeco.pytorch-*-linux-x86_64.jar" >/dev/null; then echo cpu
  else echo none; fi
}

built=()
image() { # <module> <dockerfile> <tag>
  [[ -f $1/target/quarkus-app/quarkus-run.jar ]] || { echo "build-images: $1 is not packaged" >&2; exit 1; }
  "$engine" build -f "$1/src/main/docker/$2" -t "anvil/$1:$3" "$1"
  built+=("anvil/$1:$3")
}

if $package; then mvn_package -pl dataset-service,trainer-service,eval-service,inference-gateway -am; fi
image dataset-service Dockerfile.jvm "$version"
image eval-service Dockerfile.jvm "$version"
image inference-gateway Dockerfile.jvm "$version"
if [[ $(natives) == cpu ]]; then
  image trainer-service Dockerfile.jvm "$version"
elif ! $gpu; then
  echo "build-images: trainer-service/target/quarkus-app holds the GPU natives; use --gpu, or package again" >&2
  exit 1
fi
if $gpu; then
  # Re-packages trainer-service in place: its target/quarkus-app then holds the GPU natives.
  if $package; then mvn_package -Pgpu -pl trainer-service -am; fi
  [[ $(natives) == gpu ]] || { echo "build-images: trainer-service was not packaged with -Pgpu" >&2; exit 1; }
  image trainer-service Dockerfile.gpu "$version-gpu"
fi

if [[ -n $registry ]]; then
  for name in "${built[@]}"; do
    "$engine" tag "$name" "$registry/$name"
    "$engine" push "$registry/$name"
  done
fi
printf 'built: %s\n' "${built[@]}"
