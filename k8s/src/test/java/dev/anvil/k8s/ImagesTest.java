package dev.anvil.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anvil.k8s.check.Workload;
import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.service.Dockerfile;
import dev.anvil.k8s.service.ImageBuild;
import dev.anvil.k8s.service.JibImage;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each anvil/ image the manifests run is built by its module to fit the pod, tagged with the build's version: the
 * JVM image by Jib from the module's application.properties (scripts/build-images.sh), the {@code -gpu} image by
 * src/main/docker/Dockerfile.gpu from the Quarkus fast-jar. Either runs as the pod's user, exposes the container's
 * ports and, for a service on libtorch, sets the OpenMP and huge-page settings and keeps the native caches on volumes
 * the pod mounts (its root filesystem is read-only).
 */
class ImagesTest {

    private static final String FAST_JAR = "target/quarkus-app";

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.anvil.k8s.ManifestSources#renderings")
    void everyServiceImageIsBuiltByItsModuleToFitItsPod(String kustomization, String namespace) throws IOException {
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
                ImageBuild build;
                if (gpu) {
                    Path path = module.dockerfile("Dockerfile.gpu");
                    assertTrue(Files.isRegularFile(path), image + " needs " + path);
                    Dockerfile dockerfile = Dockerfile.read(path);
                    assertBuildsTheFastJar(dockerfile, module);
                    build = dockerfile;
                } else {
                    JibImage jib = module.jibImage();
                    assertEquals(image, jib.reference(), jib.path() + ": Jib's image (quarkus.container-image.*)");
                    build = jib;
                }
                assertFits(build, workload, container, module);
                images.add(image);
            }
        }
        assertEquals(AnvilContract.SERVICE_PORTS.keySet(), images.stream()
                .map(image -> ServiceModule.ofImage(repository, image).name()).collect(Collectors.toSet()),
                "every service runs from its image: " + images);
    }

    /**
     * Packaging and the tests need neither an engine nor a registry: Jib runs only when scripts/build-images.sh asks.
     * And a service runs on the same JRE whether on the CPU (Jib) or the GPU (copied into Dockerfile.gpu's image).
     */
    @Test
    void jvmImagesAreBuiltOnlyWhenAskedOnTheGpuImagesJre() {
        Path repository = ManifestSources.repository();
        String gpuJre = Dockerfile.read(ServiceModule.named(repository, "trainer-service").dockerfile("Dockerfile.gpu"))
                .args().get("JRE_IMAGE");
        for (String service : AnvilContract.SERVICE_PORTS.keySet()) {
            JibImage jib = ServiceModule.named(repository, service).jibImage();
            assertFalse(jib.builtByDefault(), jib.path() + ": quarkus.container-image.build/push must stay off");
            assertEquals(gpuJre, jib.baseImage(), jib.path() + ": quarkus.jib.base-jvm-image and Dockerfile.gpu's JRE");
        }
    }

    private static void assertBuildsTheFastJar(Dockerfile dockerfile, ServiceModule module) throws IOException {
        String at = dockerfile.path() + ": ";
        assertTrue(dockerfile.copiedFromContext().stream().allMatch(source -> source.startsWith(FAST_JAR + "/")),
                at + "copies only the fast-jar: " + dockerfile.copiedFromContext());
        List<String> entrypoint = dockerfile.entrypoint();
        assertEquals("/deployments/quarkus-run.jar", entrypoint.get(entrypoint.size() - 1), at + entrypoint);
        // The build context is the module: only the fast-jar may go into it (not target/test-data, not sources).
        String ignore = Files.readString(module.dir().resolve(".dockerignore"));
        assertTrue(ignore.lines().anyMatch(l -> l.strip().equals("*"))
                && ignore.lines().anyMatch(l -> l.strip().equals("!" + FAST_JAR + "/")), at + ".dockerignore");
    }

    private static void assertFits(ImageBuild build, Workload workload, Container container, ServiceModule module) {
        String at = build.path() + " for " + workload.describe() + ": ";
        assertEquals(String.valueOf(runAsUser(workload.podSpec().getSecurityContext(), container)),
                build.user().orElse("root"), at + "the image's user and the pod's runAsUser");
        List<Integer> ports = container.getPorts().stream().map(ContainerPort::getContainerPort).toList();
        assertTrue(build.exposedPorts().containsAll(ports), at + "exposed ports " + build.exposedPorts()
                + " and the container's ports " + ports);

        if (module.dependsOn("llm-runtime")) {
            Map<String, String> env = build.env();
            assertEquals("PASSIVE", env.get("OMP_WAIT_POLICY"), at + "libtorch's OpenMP pool must not spin");
            assertEquals("1", env.get("THP_MEM_ALLOC_ENABLE"), at + "huge pages for libtorch");
            String javacppCache = build.entrypoint().stream()
                    .filter(a -> a.startsWith("-Dorg.bytedeco.javacpp.cachedir="))
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
