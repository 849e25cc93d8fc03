package dev.anvil.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anvil.k8s.check.ContainerEnvironment;
import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.strimzi.Kafka;
import dev.anvil.k8s.strimzi.KafkaTopic;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What Anvil's design fixes and any rendering of the manifests must honour: the Kafka topics of the contract (and
 * their dead-letter topics), and how dataset-service is wired to its port, the data volume, Kafka and PostgreSQL.
 */
final class AnvilContract {

    /** The topics of design.md, "Kafka topics". */
    static final List<String> TOPICS = List.of("dataset.events", "training.requests", "training.events",
            "evaluation.events", "model.events", "drift.events");
    static final String KAFKA_CLUSTER = "anvil";
    static final String DATA_CLAIM = "anvil-data";
    static final String DATA_DIR = "/data";

    private AnvilContract() {}

    static void assertHonouredBy(Manifests manifests, String namespace) {
        assertTopics(manifests, namespace);
        assertDatasetService(manifests, namespace);
    }

    static void assertTopics(Manifests manifests, String namespace) {
        assertTrue(manifests.find(Kafka.class, namespace, KAFKA_CLUSTER).isPresent(),
                "Kafka " + KAFKA_CLUSTER + " in namespace " + namespace);
        Set<String> declared = manifests.all(KafkaTopic.class).stream()
                .filter(topic -> KAFKA_CLUSTER.equals(topic.cluster()))
                .map(KafkaTopic::topicName)
                .collect(Collectors.toSet());
        Set<String> expected = TOPICS.stream().flatMap(t -> Stream.of(t, t + ".dlq")).collect(Collectors.toSet());
        assertEquals(expected, declared, "KafkaTopics of cluster " + KAFKA_CLUSTER);
    }

    static void assertDatasetService(Manifests manifests, String namespace) {
        Deployment deployment = manifests.find(Deployment.class, namespace, "dataset-service").orElseThrow(
                () -> new AssertionError("no Deployment dataset-service in namespace " + namespace));
        var pod = deployment.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);
        assertEquals("anvil/dataset-service:0.1.0", container.getImage());
        assertEquals(List.of(8081), container.getPorts().stream().map(ContainerPort::getContainerPort).toList());

        Service service = manifests.find(Service.class, namespace, "dataset-service").orElseThrow();
        assertEquals(List.of(8081), service.getSpec().getPorts().stream().map(ServicePort::getPort).toList());

        Map<String, String> env = ContainerEnvironment.of(manifests, namespace, container);
        assertEquals(DATA_DIR, env.get("ANVIL_DATA_DIR"));
        assertEquals("anvil-kafka-bootstrap:9092", env.get("KAFKA_BOOTSTRAP_SERVERS"));
        for (String name : List.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME",
                "QUARKUS_DATASOURCE_PASSWORD")) {
            EnvVar variable = container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " is not set"));
            assertTrue(variable.getValueFrom() != null && variable.getValueFrom().getSecretKeyRef() != null,
                    name + " must come from a Secret");
        }

        VolumeMount dataMount = container.getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals(DATA_DIR)).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + DATA_DIR));
        Volume data = pod.getVolumes().stream().filter(v -> v.getName().equals(dataMount.getName())).findFirst()
                .orElseThrow();
        assertEquals(DATA_CLAIM, data.getPersistentVolumeClaim().getClaimName());
        assertTrue(manifests.find(PersistentVolumeClaim.class, namespace, DATA_CLAIM).isPresent());
    }
}
