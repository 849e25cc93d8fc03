package dev.anvil.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anvil.k8s.check.ManifestValidator;
import dev.anvil.k8s.check.Workload;
import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.manifest.Problem;
import dev.anvil.k8s.strimzi.KafkaNodePool;
import dev.anvil.k8s.strimzi.KafkaTopic;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Renders every kustomization with kubectl and validates what would be applied. */
class RenderedOverlaysTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.anvil.k8s.ManifestSources#renderings")
    void rendersValidManifestsThatHonourTheContract(String kustomization, String namespace) {
        Manifests manifests = ManifestSources.rendered(kustomization);

        List<Problem> problems = ManifestValidator.validate(manifests);

        assertEquals(List.of(), problems, () -> kustomization + " has problems:\n"
                + problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        assertEquals(List.of(namespace), manifests.all(Namespace.class).stream()
                .map(ns -> ns.getMetadata().getName()).toList());
        AnvilContract.assertHonouredBy(manifests, namespace);
    }

    @Test
    void devRunsEverythingOnceOnASingleNode() {
        Manifests dev = ManifestSources.rendered("overlays/dev");

        dev.all(Deployment.class).forEach(d -> assertEquals(1, d.getSpec().getReplicas(), d.getMetadata().getName()));
        dev.all(StatefulSet.class).forEach(s -> assertEquals(1, s.getSpec().getReplicas(), s.getMetadata().getName()));
        assertEquals(1, dev.all(KafkaNodePool.class).stream().mapToInt(KafkaNodePool::replicas).sum());
        dev.all(KafkaTopic.class).forEach(t -> assertEquals(Integer.valueOf(1), t.spec().replicas(), t.topicName()));
        // No ReadWriteMany on one-node clusters' default storage classes.
        PersistentVolumeClaim data = dev.find(PersistentVolumeClaim.class, "anvil-dev", AnvilContract.DATA_CLAIM)
                .orElseThrow();
        assertEquals(List.of("ReadWriteOnce"), data.getSpec().getAccessModes());
    }

    @Test
    void prodAutoscalesDatasetServiceAndSharesTheDataVolumeAcrossNodes() {
        Manifests prod = ManifestSources.rendered("overlays/prod");

        HorizontalPodAutoscaler hpa = prod.find(HorizontalPodAutoscaler.class, "anvil", "dataset-service")
                .orElseThrow();
        assertEquals("dataset-service", hpa.getSpec().getScaleTargetRef().getName());
        assertTrue(hpa.getSpec().getMinReplicas() >= 2, "at least two pods so one can be drained");
        PersistentVolumeClaim data = prod.find(PersistentVolumeClaim.class, "anvil", AnvilContract.DATA_CLAIM)
                .orElseThrow();
        assertEquals(List.of("ReadWriteMany"), data.getSpec().getAccessModes());
        assertEquals(3, prod.all(KafkaNodePool.class).stream().mapToInt(KafkaNodePool::replicas).sum());
    }

    /** The services that run side by side keep serving while a node is drained. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"inference-gateway", "dataset-service", "eval-service"})
    void prodKeepsEachReplicatedServiceThroughNodeDrains(String service) {
        Manifests prod = ManifestSources.rendered("overlays/prod");
        Deployment deployment = AnvilContract.deployment(prod, "anvil", service);

        int minimum = Workload.all(prod).stream().filter(w -> w.owner() == deployment).findFirst().orElseThrow()
                .minimumReplicas(prod);
        assertTrue(minimum >= 2, service + " runs " + minimum + " pod(s): a drain would stop it");
        List<PodDisruptionBudget> budgets = prod.all(PodDisruptionBudget.class).stream()
                .filter(pdb -> deployment.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                        .containsAll(pdb.getSpec().getSelector().getMatchLabels().entrySet()))
                .toList();
        assertEquals(1, budgets.size(), "one PodDisruptionBudget selects the pods of " + service);
        assertEquals(1, budgets.get(0).getSpec().getMinAvailable().getIntVal(), "one pod keeps serving, one may go");
    }
}
