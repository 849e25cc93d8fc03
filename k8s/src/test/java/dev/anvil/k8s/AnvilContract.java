package dev.anvil.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anvil.k8s.check.ConfigData;
import dev.anvil.k8s.check.ContainerEnvironment;
import dev.anvil.k8s.check.PodNetwork;
import dev.anvil.k8s.check.PodNetwork.OutsideIngress;
import dev.anvil.k8s.check.Workload;
import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.service.KafkaUsage;
import dev.anvil.k8s.service.ServiceModule;
import dev.anvil.k8s.strimzi.Kafka;
import dev.anvil.k8s.strimzi.KafkaTopic;
import dev.anvil.k8s.strimzi.KafkaUser;
import dev.anvil.k8s.strimzi.KafkaUser.Permission;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.net.URI;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What Anvil's design fixes and any rendering of the manifests must honour: the Kafka topics of the contract (and
 * their dead-letter topics), and how each of the four services is wired to its port, the data volume, Kafka and
 * PostgreSQL, each service with its own database and database login, credentials and keys from Secrets, its own
 * Kafka login allowed exactly what its code does on Kafka, and network access to Kafka and PostgreSQL only,
 * reachable from outside the namespace only as the gateway (and by Prometheus).
 */
final class AnvilContract {

    /** The topics of design.md, "Kafka topics". */
    static final List<String> TOPICS = List.of("dataset.events", "training.requests", "training.events",
            "evaluation.events", "model.events", "drift.events");
    static final String KAFKA_CLUSTER = "anvil";
    static final String DATA_CLAIM = "anvil-data";
    static final String DATA_DIR = "/data";
    /** PostgreSQL's superuser, which only PostgreSQL's container and its init script read. */
    static final String DATABASE_SUPERUSER_SECRET = "anvil-postgres";
    /** The gateway's admin and traffic keys. */
    static final String GATEWAY_KEYS_SECRET = "inference-gateway-keys";
    /** The dataset-service's key for the gateway's traffic API (retraining). */
    static final String DATASET_KEYS_SECRET = "dataset-service-keys";
    /** Where the PostgreSQL image looks for the scripts it runs when it initialises an empty volume. */
    static final String POSTGRES_INIT_DIR = "/docker-entrypoint-initdb.d";
    /** Ports of design.md, "Default HTTP ports": every service Anvil deploys. */
    static final Map<String, Integer> SERVICE_PORTS = Map.of("inference-gateway", 8080, "dataset-service", 8081,
            "trainer-service", 8082, "eval-service", 8083);
    /** The AES-256 key length the gateway's traffic store requires (anvil.gateway.traffic.key). */
    static final int TRAFFIC_KEY_BYTES = 32;
    /**
     * Topics a service writes without constructing their messages, which its code cannot show: the trainer's POST
     * /jobs publishes the TrainingRequested it is given ({@link KafkaUsage} finds the rest).
     */
    static final Map<String, Set<String>> FORWARDED_TOPICS = Map.of("trainer-service", Set.of("training.requests"));
    /**
     * Services that connect to more than Kafka and PostgreSQL: the dataset-service reads the gateway's traffic for
     * retraining (design.md, "The loop").
     */
    static final Set<String> KAFKA_AND_POSTGRES = Set.of("anvil-kafka-bootstrap:9092", "anvil-postgres:5432");
    static final Map<String, Set<String>> CONNECTIONS = Map.of("dataset-service",
            Set.of("anvil-kafka-bootstrap:9092", "anvil-postgres:5432", "inference-gateway:8080"));
    /** The one service anyone may call from outside the namespace. */
    static final String PUBLIC_SERVICE = "inference-gateway";
    /** Prometheus, which may scrape every service: its pods in the namespace "monitoring" (network-policies/metrics.yaml). */
    static final String METRICS_SCRAPER =
            "pods {app.kubernetes.io/name=prometheus} of namespaces {kubernetes.io/metadata.name=monitoring}";

    private AnvilContract() {}

    /** The Secret of a service's own database login: username, password, database and jdbc-url. */
    static String databaseLoginSecret(String service) {
        return DATABASE_SUPERUSER_SECRET + "-" + service;
    }

    static void assertHonouredBy(Manifests manifests, String namespace) {
        assertTopics(manifests, namespace);
        SERVICE_PORTS.keySet().forEach(service -> assertService(manifests, namespace, service));
        assertOwnDatabases(manifests, namespace);
        assertTrainerService(manifests, namespace);
        assertGateway(manifests, namespace);
        assertKafkaUsers(manifests, namespace);
        assertNetworkAccess(manifests, namespace);
    }

    /**
     * Each service logs in to Kafka as its own KafkaUser (named as the service), whose ACLs allow exactly what the
     * service's code does: Read on the topics it consumes and its consumer groups, Write on the topics it writes and
     * on the dead-letter topics of those it consumes.
     */
    static void assertKafkaUsers(Manifests manifests, String namespace) {
        for (String service : SERVICE_PORTS.keySet()) {
            Container container = container(deployment(manifests, namespace, service));
            assertFromSecret(container, "KAFKA_SASL_JAAS_CONFIG", service);
            KafkaUser user = manifests.find(KafkaUser.class, namespace, service)
                    .orElseThrow(() -> new AssertionError("no KafkaUser " + service + " in namespace " + namespace));
            assertEquals(KAFKA_CLUSTER, user.cluster(), "KafkaUser " + service + "'s cluster");
            KafkaUsage usage = KafkaUsage.of(ManifestSources.repository(),
                    ServiceModule.ofImage(ManifestSources.repository(), container.getImage()),
                    FORWARDED_TOPICS.getOrDefault(service, Set.of()));
            assertEquals(permissions(usage), user.permissions(),
                    "KafkaUser " + service + " may do exactly what the service's code does: " + usage);
        }
    }

    static Set<Permission> permissions(KafkaUsage usage) {
        Set<Permission> permissions = new HashSet<>();
        usage.consumed().forEach(topic -> permissions.add(new Permission("Read", "topic", topic, "literal")));
        usage.groups().forEach(group -> permissions.add(new Permission("Read", "group", group, "literal")));
        Stream.concat(usage.produced().stream(), usage.deadLetterTopics().stream())
                .forEach(topic -> permissions.add(new Permission("Write", "topic", topic, "literal")));
        return permissions;
    }

    /**
     * Only the gateway may be called from outside the namespace, by anyone, and Prometheus may scrape every service;
     * nothing else comes in from outside. Each service connects to Kafka and PostgreSQL and nowhere else, but for the
     * {@link #CONNECTIONS} named (the validator checks that the policies allow exactly those connections).
     */
    static void assertNetworkAccess(Manifests manifests, String namespace) {
        PodNetwork network = PodNetwork.of(manifests);
        for (Workload workload : Workload.all(manifests)) {
            if (!namespace.equals(workload.namespace())) {
                continue;
            }
            String name = workload.owner().getMetadata().getName();
            Set<String> expected = new TreeSet<>();
            if (SERVICE_PORTS.containsKey(name)) {
                int port = SERVICE_PORTS.get(name);
                expected.add(new OutsideIngress(METRICS_SCRAPER, port).toString());
                if (name.equals(PUBLIC_SERVICE)) {
                    expected.add(new OutsideIngress("anyone", port).toString());
                }
                assertEquals(CONNECTIONS.getOrDefault(name, KAFKA_AND_POSTGRES),
                        network.connections(workload).stream().map(PodNetwork.Connection::address)
                                .collect(Collectors.toSet()), name + "'s connections");
            }
            Set<String> outside = network.podOf(workload).map(network::ingressFromOutside).orElseThrow().stream()
                    .map(OutsideIngress::toString).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(expected, outside, workload.describe() + ": who may connect from outside the namespace");
        }
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

    static Deployment deployment(Manifests manifests, String namespace, String name) {
        return manifests.find(Deployment.class, namespace, name).orElseThrow(
                () -> new AssertionError("no Deployment " + name + " in namespace " + namespace));
    }

    /** The one container of a service's pods. */
    static Container container(Deployment deployment) {
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        assertEquals(1, containers.size(), deployment.getMetadata().getName() + " runs one container");
        return containers.get(0);
    }

    /**
     * A Quarkus service: its image, port and Service, data volume, Kafka, and its datasource from its own database
     * login's Secret.
     */
    static void assertService(Manifests manifests, String namespace, String name) {
        int port = SERVICE_PORTS.get(name);
        Deployment deployment = deployment(manifests, namespace, name);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container container = container(deployment);
        assertTrue(container.getImage().startsWith("anvil/" + name + ":"), container.getImage());
        assertEquals(List.of(port), container.getPorts().stream().map(ContainerPort::getContainerPort).toList());

        Service service = manifests.find(Service.class, namespace, name).orElseThrow();
        assertEquals(List.of(port), service.getSpec().getPorts().stream().map(ServicePort::getPort).toList());

        Map<String, String> env = ContainerEnvironment.of(manifests, namespace, container);
        assertEquals(DATA_DIR, env.get("ANVIL_DATA_DIR"));
        assertEquals("anvil-kafka-bootstrap:9092", env.get("KAFKA_BOOTSTRAP_SERVERS"));
        assertEquals(String.valueOf(port), env.get("QUARKUS_HTTP_PORT"));
        for (String variable : List.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME",
                "QUARKUS_DATASOURCE_PASSWORD")) {
            assertFromSecret(container, variable, databaseLoginSecret(name));
        }

        VolumeMount dataMount = container.getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals(DATA_DIR)).findFirst()
                .orElseThrow(() -> new AssertionError(name + ": nothing mounted at " + DATA_DIR));
        Volume data = volume(pod, dataMount.getName());
        assertEquals(DATA_CLAIM, data.getPersistentVolumeClaim().getClaimName());
        assertTrue(manifests.find(PersistentVolumeClaim.class, namespace, DATA_CLAIM).isPresent());
    }

    /** The variable is set from a key of that Secret, never inlined. */
    private static void assertFromSecret(Container container, String variable, String secret) {
        EnvVar value = container.getEnv().stream().filter(e -> e.getName().equals(variable)).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + ": " + variable + " is not set"));
        assertTrue(value.getValueFrom() != null && value.getValueFrom().getSecretKeyRef() != null
                && secret.equals(value.getValueFrom().getSecretKeyRef().getName()),
                container.getName() + ": " + variable + " must come from the Secret " + secret);
    }

    /**
     * Each service's JDBC URL names its own database (so each keeps its own tables and Flyway history), the one its
     * login's Secret names; the validator ({@code DatabaseLoginCheck}) proves PostgreSQL's init script creates it for
     * that login.
     */
    static void assertOwnDatabases(Manifests manifests, String namespace) {
        Map<String, String> databases = new TreeMap<>();
        for (String service : SERVICE_PORTS.keySet()) {
            Container container = container(deployment(manifests, namespace, service));
            String url = ContainerEnvironment.of(manifests, namespace, container).get("QUARKUS_DATASOURCE_JDBC_URL");
            Map<String, String> login = manifests.find(Secret.class, namespace, databaseLoginSecret(service))
                    .map(ConfigData::values).orElseThrow(() -> new AssertionError("no Secret "
                            + databaseLoginSecret(service) + " in namespace " + namespace));
            assertEquals(login.get("database"), databaseOf(url), service + "'s JDBC URL names its login's database");
            databases.put(service, databaseOf(url));
        }
        assertEquals(databases.size(), Set.copyOf(databases.values()).size(), "one database per service: " + databases);
        assertPostgresInitRuns(manifests, namespace);
    }

    /**
     * The trainer: no more replicas than partitions of training.requests (the rest would idle); time to checkpoint
     * when stopped; a device it can parse.
     */
    static void assertTrainerService(Manifests manifests, String namespace) {
        Deployment trainer = deployment(manifests, namespace, "trainer-service");
        Map<String, String> env = ContainerEnvironment.of(manifests, namespace, container(trainer));

        int replicas = trainer.getSpec().getReplicas() == null ? 1 : trainer.getSpec().getReplicas();
        KafkaTopic requests = manifests.all(KafkaTopic.class).stream()
                .filter(t -> t.topicName().equals("training.requests")).findFirst().orElseThrow();
        assertTrue(replicas <= requests.spec().partitions(), replicas + " trainer replicas but only "
                + requests.spec().partitions() + " partitions of training.requests to share out");

        Long grace = trainer.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        assertTrue(grace != null && grace >= 300, "time to finish a step and checkpoint on SIGTERM, got " + grace);
        assertTrue(env.get("ANVIL_TRAINER_DEVICE").matches("cpu|cuda(:\\d+)?"), env.get("ANVIL_TRAINER_DEVICE"));
    }

    /**
     * The gateway: its admin and traffic keys come from their Secret, and a traffic key that is set is one the
     * gateway accepts (the base64 of 32 bytes; anything else stops it at start-up). Empty keys are allowed: the
     * admin API is then off and no traffic is kept. The dataset-service's key for its traffic comes from a Secret too.
     */
    static void assertGateway(Manifests manifests, String namespace) {
        Container gateway = container(deployment(manifests, namespace, "inference-gateway"));
        assertFromSecret(gateway, "ANVIL_GATEWAY_ADMIN_KEY", GATEWAY_KEYS_SECRET);
        assertFromSecret(gateway, "ANVIL_GATEWAY_TRAFFIC_KEY", GATEWAY_KEYS_SECRET);
        // The service key the dataset-service reads the gateway's traffic with (retraining).
        assertFromSecret(container(deployment(manifests, namespace, "dataset-service")),
                "ANVIL_DATASET_RETRAINING_GATEWAY_KEY", DATASET_KEYS_SECRET);
        String trafficKey = ContainerEnvironment.of(manifests, namespace, gateway).get("ANVIL_GATEWAY_TRAFFIC_KEY");
        if (!trafficKey.isEmpty()) {
            assertEquals(TRAFFIC_KEY_BYTES, Base64.getDecoder().decode(trafficKey).length,
                    "the traffic key is the base64 of " + TRAFFIC_KEY_BYTES + " bytes");
        }
    }

    /**
     * The init scripts are mounted where the PostgreSQL image runs them, as programs: a script that is not
     * executable is sourced into the image's own shell instead, where its exit or its variables would be the image's.
     */
    private static void assertPostgresInitRuns(Manifests manifests, String namespace) {
        StatefulSet postgres = manifests.find(StatefulSet.class, namespace, "anvil-postgres").orElseThrow();
        PodSpec pod = postgres.getSpec().getTemplate().getSpec();
        VolumeMount init = pod.getContainers().get(0).getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals(POSTGRES_INIT_DIR)).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + POSTGRES_INIT_DIR));
        assertEquals(0555, volume(pod, init.getName()).getConfigMap().getDefaultMode(),
                "init scripts run as programs, not sourced");
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    private static String databaseOf(String jdbcUrl) {
        String path = URI.create(jdbcUrl.substring("jdbc:".length())).getPath();
        return path.substring(1);
    }
}
