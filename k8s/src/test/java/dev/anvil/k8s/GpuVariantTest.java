package dev.anvil.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anvil.k8s.check.ContainerEnvironment;
import dev.anvil.k8s.check.ManifestValidator;
import dev.anvil.k8s.check.Workload;
import dev.anvil.k8s.manifest.ManifestParser;
import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.service.Dockerfile;
import dev.anvil.k8s.service.ServiceModule;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The trainer on GPU nodes: components/gpu gives it the CUDA image, one nvidia.com/gpu, the GPU nodes' toleration
 * and node selector and the cuda device, and touches nothing else; without the component it trains on the CPU.
 */
class GpuVariantTest {

    static final String GPU = "nvidia.com/gpu";
    static final String GPU_NODE_LABEL = "nvidia.com/gpu.present";

    @Test
    void theGpuOverlayRunsTheTrainerOnAGpuNode() {
        Manifests gpu = ManifestSources.rendered("overlays/gpu");

        assertTrainerOnGpu(gpu, "anvil");
        assertOnlyTheTrainerUsesGpus(gpu);
    }

    @Test
    void theComponentComposesWithAnyOverlay(@TempDir Path workDir) throws IOException {
        Path overlay = Files.createDirectories(workDir.resolve("dev-gpu"));
        Path k8s = ManifestSources.k8sDir().toAbsolutePath().normalize();
        Files.writeString(overlay.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - %s
                components:
                  - %s
                """.formatted(overlay.relativize(k8s.resolve("overlays/dev")), // kustomize takes relative paths
                overlay.relativize(k8s.resolve("components/gpu"))));

        Manifests devGpu = ManifestParser.parse(ManifestSources.render(overlay), "dev-gpu");

        assertEquals(List.of(), ManifestValidator.validate(devGpu));
        AnvilContract.assertHonouredBy(devGpu, "anvil-dev");
        assertTrainerOnGpu(devGpu, "anvil-dev");
        assertOnlyTheTrainerUsesGpus(devGpu);
        assertEquals(1, AnvilContract.deployment(devGpu, "anvil-dev", "trainer-service").getSpec().getReplicas());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"base, anvil", "overlays/dev, anvil-dev", "overlays/prod, anvil"})
    void withoutTheComponentTheTrainerTrainsOnTheCpu(String kustomization, String namespace) {
        Manifests manifests = ManifestSources.rendered(kustomization);
        Deployment trainer = AnvilContract.deployment(manifests, namespace, "trainer-service");
        Container container = AnvilContract.container(trainer);

        assertEquals("cpu", ContainerEnvironment.of(manifests, namespace, container).get("ANVIL_TRAINER_DEVICE"));
        assertTrue(!ServiceModule.tagOf(container.getImage()).endsWith("-gpu"), container.getImage());
        assertOnlyTheTrainerUsesGpus(manifests);
        assertTrue(Workload.all(manifests).stream().noneMatch(w -> w.containers().anyMatch(c -> gpus(c) > 0)),
                "no pod asks for a GPU");
    }

    @Test
    void theGpuImageIsBuiltOnCuda13WithCudnn9AndTrainsOnCuda() {
        Dockerfile gpu = Dockerfile.read(ServiceModule.ofImage(ManifestSources.repository(),
                "anvil/trainer-service:0.1.0-gpu").dockerfile("Dockerfile.gpu"));

        // The natives of the gpu Maven profile are built with CUDA 13.1 and cuDNN 9 (../shared/notes).
        assertTrue(gpu.baseImage().matches("nvidia/cuda:13\\.\\d+\\.\\d+-cudnn-runtime-ubuntu\\d+\\.\\d+"),
                gpu.baseImage());
        assertEquals("cuda", gpu.env().get("ANVIL_TRAINER_DEVICE"));
        assertTrue(gpu.env().get("JAVA_HOME") != null && gpu.env().get("PATH").startsWith("${JAVA_HOME}/bin:"),
                "a JRE on the PATH: " + gpu.env());
    }

    /** The trainer's pods: the -gpu image, one GPU, GPU nodes only (tolerating their taint), the cuda device. */
    static void assertTrainerOnGpu(Manifests manifests, String namespace) {
        Deployment trainer = AnvilContract.deployment(manifests, namespace, "trainer-service");
        PodSpec pod = trainer.getSpec().getTemplate().getSpec();
        Container container = AnvilContract.container(trainer);

        assertEquals("anvil/trainer-service:" + ServiceModule.releaseVersion(ManifestSources.repository()) + "-gpu",
                container.getImage());
        assertEquals(1, gpus(container), "one GPU per pod");
        assertEquals(Map.of(GPU_NODE_LABEL, "true"), pod.getNodeSelector());
        assertTrue(pod.getTolerations().stream().anyMatch(GpuVariantTest::toleratesGpuTaint), pod.getTolerations()
                .toString());
        assertEquals("cuda", ContainerEnvironment.of(manifests, namespace, container).get("ANVIL_TRAINER_DEVICE"));
    }

    private static boolean toleratesGpuTaint(Toleration t) {
        return GPU.equals(t.getKey()) && "NoSchedule".equals(t.getEffect())
                && ("Exists".equals(t.getOperator()) || t.getValue() != null);
    }

    /** GPUs stay with the trainer: no other pod asks for one, tolerates GPU nodes or is pinned to them. */
    static void assertOnlyTheTrainerUsesGpus(Manifests manifests) {
        for (Workload workload : Workload.all(manifests)) {
            if (workload.owner().getMetadata().getName().equals("trainer-service")) {
                continue;
            }
            PodSpec pod = workload.podSpec();
            assertTrue(workload.containers().allMatch(c -> gpus(c) == 0), workload.describe() + " asks for a GPU");
            assertTrue(pod.getNodeSelector() == null || !pod.getNodeSelector().containsKey(GPU_NODE_LABEL),
                    workload.describe());
            assertTrue(pod.getTolerations() == null
                    || pod.getTolerations().stream().noneMatch(GpuVariantTest::toleratesGpuTaint), workload.describe());
        }
    }

    /** GPUs limited for the container (the only amount that counts for extended resources). */
    static int gpus(Container container) {
        var resources = container.getResources();
        Quantity limit = resources == null || resources.getLimits() == null ? null : resources.getLimits().get(GPU);
        return limit == null ? 0 : Quantity.getAmountInBytes(limit).intValueExact();
    }
}
