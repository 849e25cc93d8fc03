package dev.anvil.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anvil.k8s.check.Workload;
import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.service.Dockerfile;
import dev.anvil.k8s.service.ServiceModule;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each anvil/ image the manifests run is built by a Dockerfile of its module that fits the pod: tagged with the
 * build's version ({@code -gpu} for src/main/docker/Dockerfile.gpu, else Dockerfile.jvm), the pod's user, the
 * container's ports, the Quarkus fast-jar; and for a service on libtorch, the OpenMP and huge-page settings and
 * native caches on volumes the pod mounts (its root filesystem is read-only).
 */
class ImagesTest {

    private static final String FAST_JAR = "target/quarkus-app";

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.anvil.k8s.ManifestSources#renderings")
    void everyServiceImageHasADockerfileThatFitsItsPod(String kustomization, String namespace) throws IOException {
        Manifests manifests = ManifestSources.rendered(kustomization);
        Path repository = ManifestSources.repository();
        String version = ServiceModule.releaseVersion(repository);
        List<String> images = new ArrayList<>();
        for (Workload workload : Workload.all(manifests)) {
            for (Container container : workload.containers().toList()) {
                String image = container.getImage();
                if (!image.startsWith(ServiceModule.IMAGE_PREFIX)) {
                    continue;
                }
                ServiceModule module = ServiceModule.ofImage(repository, image);
                String tag = ServiceModule.tagOf(image);
                boolean gpu = tag.endsWith("-gpu");
                assertEquals(version, gpu ? tag.substring(0, tag.length() - 4) : tag, image + " and the build");
                Path path = module.dockerfile(gpu ? "Dockerfile.gpu" : "Dockerfile.jvm");
                assertTrue(Files.isRegularFile(path), image + " needs " + path);
                assertFits(Dockerfile.read(path), workload, container, module);
                images.add(image);
            }
        }
        assertEquals(AnvilContract.SERVICE_PORTS.keySet(), images.stream()
                .map(image -> ServiceModule.ofImage(repository, image).name()).collect(Collectors.toSet()),
                "every service runs from its image: " + images);
    }

    private static void assertFits(Dockerfile dockerfile, Workload workload, Container container, ServiceModule module)
            throws IOException {
        String at = dockerfile.path() + " for " + workload.describe() + ": ";
        assertEquals(String.valueOf(runAsUser(workload.podSpec().getSecurityContext(), container)),
                dockerfile.user().orElse("root"), at + "USER and the pod's runAsUser");
        List<Integer> ports = container.getPorts().stream().map(ContainerPort::getContainerPort).toList();
        assertTrue(dockerfile.exposedPorts().containsAll(ports), at + "EXPOSE " + dockerfile.exposedPorts()
                + " and the container's ports " + ports);
        assertTrue(dockerfile.copiedFromContext().stream().allMatch(source -> source.startsWith(FAST_JAR + "/")),
                at + "copies only the fast-jar: " + dockerfile.copiedFromContext());
        List<String> entrypoint = dockerfile.entrypoint();
        assertEquals("/deployments/quarkus-run.jar", entrypoint.get(entrypoint.size() - 1), at + entrypoint);
        // The build context is the module: only the fast-jar may go into it (not target/test-data, not sources).
        String ignore = Files.readString(module.dir().resolve(".dockerignore"));
        assertTrue(ignore.lines().anyMatch(l -> l.strip().equals("*"))
                && ignore.lines().anyMatch(l -> l.strip().equals("!" + FAST_JAR + "/")), at + ".dockerignore");

        if (module.dependsOn("llm-runtime")) {
            Map<String, String> env = dockerfile.env();
            assertEquals("PASSIVE", env.get("OMP_WAIT_POLICY"), at + "libtorch's OpenMP pool must not spin");
            assertEquals("1", env.get("THP_MEM_ALLOC_ENABLE"), at + "huge pages for libtorch");
            String javacppCache = entrypoint.stream().filter(a -> a.startsWith("-Dorg.bytedeco.javacpp.cachedir="))
                    .map(a -> a.substring(a.indexOf('=') + 1)).findFirst()
                    .orElseThrow(() -> new AssertionError(at + "JavaCPP's cache would be under the read-only home"));
            for (String cache : List.of(javacppCache, env.get("DJL_CACHE_DIR"))) {
                assertTrue(cache != null && mounted(container, cache), at + "native cache " + cache
                        + " must be on a volume the container mounts (mounts: " + mountPaths(container) + ")");
            }
        }
    }

    private static long runAsUser(PodSecurityContext pod, Container container) {
        Long user = container.getSecurityContext() != null ? container.getSecurityContext().getRunAsUser() : null;
        if (user == null && pod != null) {
            user = pod.getRunAsUser();
        }
        return Objects.requireNonNull(user, "the pod must say which user it runs as");
    }

    private static boolean mounted(Container container, String path) {
        return mountPaths(container).stream().anyMatch(mount -> path.equals(mount) || path.startsWith(mount + "/"));
    }

    private static List<String> mountPaths(Container container) {
        List<VolumeMount> mounts = container.getVolumeMounts();
        return mounts == null ? List.of() : mounts.stream().map(VolumeMount::getMountPath).toList();
    }
}
