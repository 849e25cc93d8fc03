#!/usr/bin/env bash
# Builds Anvil's container images: the four JVM images with Jib through Maven (no Docker engine needed), the GPU
# trainer image from its Dockerfile with docker or podman.
#   scripts/build-images.sh [--push <registry>] [--gpu]
# Images (the names k8s/ uses): anvil/dataset-service:<v>, anvil/trainer-service:<v> (CPU), anvil/eval-service:<v>,
# anvil/inference-gateway:<v> and, with --gpu, anvil/trainer-service:<v>-gpu; <v> is the project version without
# -SNAPSHOT. Each JVM image is defined by its module's application.properties (quarkus.container-image.*, quarkus.jib.*).
#   (default)     write each JVM image to target/images/<module>-<v>.tar, a docker-archive tarball: load it with
#                 docker load -i / podman load -i, or send it on with crane push / skopeo copy docker-archive:...
#   --push REG    push the JVM images straight to REG/anvil/...:<v> instead (credentials as docker login leaves them)
#   --gpu         also package trainer-service with -Pgpu and build src/main/docker/Dockerfile.gpu with an engine
#                 (the GPU natives are about 840 MB of jars; the image is based on nvidia/cuda, several GB); with
#                 --push it is pushed too. The engine is ANVIL_CONTAINER_ENGINE, else docker, else podman.
# Extra Maven flags: ANVIL_MAVEN_ARGS (e.g. -Dquarkus.jib.base-jvm-image=mirror.example.com/eclipse-temurin:17-jre-noble).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

gpu=false registry=
while (($#)); do
  case $1 in
    --gpu) gpu=true ;;
    --push) registry=${2:?--push needs a registry, e.g. registry.example.com/team}; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "build-images: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -n 1)
version=${version%-SNAPSHOT}
# Images for Kubernetes run on PostgreSQL, whose datasource kind is fixed when the jar is built.
mvn_package() { mvn -B -DskipTests -Dquarkus.profile=pg ${ANVIL_MAVEN_ARGS:-} package "$@"; }

services=(dataset-service trainer-service eval-service inference-gateway)
built=()
if [[ -n $registry ]]; then
  # REG is a host and maybe a path: the path goes before the images' group.
  host=${registry%%/*} path=${registry#"$host"}
  mvn_package -pl "$(IFS=,; echo "${services[*]}")" -am -Dquarkus.container-image.push=true \
    -Dquarkus.container-image.registry="$host" -Dquarkus.container-image.group="${path#/}${path:+/}anvil"
  for s in "${services[@]}"; do built+=("$registry/anvil/$s:$version"); done
else
  # Quarkus' Jib has no tar target: scripts/jib-to-tar stands in for the docker CLI and writes what it would load.
  mvn_package -pl "$(IFS=,; echo "${services[*]}")" -am -Dquarkus.container-image.build=true \
    -Dquarkus.jib.docker-executable-name="$root/scripts/jib-to-tar" \
    "-Dquarkus.jib.docker-environment.ANVIL_IMAGE_TAR=$root/target/images/\${quarkus.container-image.name}-\${quarkus.container-image.tag}.tar"
  for s in "${services[@]}"; do built+=("target/images/$s-$version.tar (anvil/$s:$version)"); done
fi

if $gpu; then
  engine=${ANVIL_CONTAINER_ENGINE:-}
  if [[ -z $engine ]]; then
    for candidate in docker podman; do
      if command -v "$candidate" >/dev/null && "$candidate" info >/dev/null 2>&1; then engine=$candidate; break; fi
    done
  fi
  if [[ -z $engine ]] || ! "$engine" info >/dev/null 2>&1; then
    echo "build-images: --gpu needs a working container engine (docker or podman that answers 'info'); set" \
         "ANVIL_CONTAINER_ENGINE or start one" >&2
    exit 1
  fi
  # Re-packages trainer-service in place: its target/quarkus-app then holds the GPU natives, not the CPU ones.
  mvn_package -Pgpu -pl trainer-service -am
  gpu_image=anvil/trainer-service:$version-gpu
  "$engine" build -f trainer-service/src/main/docker/Dockerfile.gpu -t "$gpu_image" trainer-service
  if [[ -n $registry ]]; then
    "$engine" tag "$gpu_image" "$registry/$gpu_image"
    "$engine" push "$registry/$gpu_image"
    gpu_image=$registry/$gpu_image
  fi
  built+=("$gpu_image")
fi
printf 'built: %s\n' "${built[@]}"
