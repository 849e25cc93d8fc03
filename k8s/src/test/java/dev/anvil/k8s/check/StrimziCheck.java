package dev.anvil.k8s.check;

import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.manifest.Problem;
import dev.anvil.k8s.strimzi.Kafka;
import dev.anvil.k8s.strimzi.KafkaNodePool;
import dev.anvil.k8s.strimzi.KafkaTopic;
import dev.anvil.k8s.strimzi.StrimziResource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Strimzi resources must hang together: node pools and topics name an existing Kafka cluster by label, a KRaft
 * cluster has controllers and brokers, no replication factor exceeds the number of brokers (the topic or the
 * cluster would never become ready), min.insync.replicas is reachable, and no two KafkaTopics claim one topic.
 */
public final class StrimziCheck implements Check {

    private static final List<String> CLUSTER_REPLICATION_KEYS = List.of("default.replication.factor",
            "offsets.topic.replication.factor", "transaction.state.log.replication.factor");

    @Override
    public List<Problem> check(Manifests manifests) {
        List<Problem> problems = new ArrayList<>();
        for (Kafka kafka : manifests.all(Kafka.class)) {
            checkCluster(kafka, manifests, problems);
        }
        for (KafkaNodePool pool : manifests.all(KafkaNodePool.class)) {
            requireCluster(pool, manifests, problems);
            checkPool(pool, problems);
        }
        Map<String, KafkaTopic> byTopicName = new HashMap<>();
        for (KafkaTopic topic : manifests.all(KafkaTopic.class)) {
            String id = Manifests.describe(topic);
            Kafka kafka = requireCluster(topic, manifests, problems);
            String key = topic.metadata().getNamespace() + "/" + topic.cluster() + "/" + topic.topicName();
            KafkaTopic earlier = byTopicName.putIfAbsent(key, topic);
            if (earlier != null) {
                problems.add(new Problem(id, "topic " + topic.topicName() + " is also declared by "
                        + Manifests.describe(earlier)));
            }
            if (topic.spec() == null) {
                problems.add(new Problem(id, "has no spec"));
                continue;
            }
            if (topic.spec().partitions() != null && topic.spec().partitions() < 1) {
                problems.add(new Problem(id, "spec.partitions must be at least 1"));
            }
            Integer replicas = topic.spec().replicas() != null ? topic.spec().replicas()
                    : kafka == null ? null : kafka.intConfig("default.replication.factor");
            if (replicas == null) {
                continue;
            }
            if (kafka != null && replicas > brokers(kafka, manifests)) {
                problems.add(new Problem(id, "spec.replicas " + replicas + " exceeds the "
                        + brokers(kafka, manifests) + " broker(s) of Kafka " + kafka.metadata().getName()));
            }
            Integer minIsr = topic.intConfig("min.insync.replicas");
            if (minIsr != null && minIsr > replicas) {
                problems.add(new Problem(id, "min.insync.replicas " + minIsr + " exceeds the " + replicas + " replicas"
                        + ": no write could ever succeed"));
            }
        }
        return problems;
    }

    private static void checkCluster(Kafka kafka, Manifests manifests, List<Problem> problems) {
        String id = Manifests.describe(kafka);
        List<KafkaNodePool> pools = pools(kafka, manifests);
        if (pools.stream().noneMatch(p -> p.hasRole(KafkaNodePool.CONTROLLER))) {
            problems.add(new Problem(id, "no KafkaNodePool with the controller role: a KRaft cluster needs one"));
        }
        int brokers = brokers(kafka, manifests);
        if (brokers == 0) {
            problems.add(new Problem(id, "no KafkaNodePool with the broker role"));
        }
        for (String key : CLUSTER_REPLICATION_KEYS) {
            Integer factor = kafka.intConfig(key);
            if (factor != null && factor > brokers) {
                problems.add(new Problem(id, key + " " + factor + " exceeds the " + brokers + " broker(s)"));
            }
        }
        Integer minIsr = kafka.intConfig("min.insync.replicas");
        Integer replication = kafka.intConfig("default.replication.factor");
        if (minIsr != null && replication != null && minIsr > replication) {
            problems.add(new Problem(id, "min.insync.replicas " + minIsr + " exceeds default.replication.factor "
                    + replication));
        }
        if (kafka.listeners().isEmpty()) {
            problems.add(new Problem(id, "spec.kafka.listeners is empty: clients could not connect"));
        }
        for (Kafka.Listener listener : kafka.listeners()) {
            if (listener.name() == null || listener.port() == null || listener.type() == null || listener.tls() == null) {
                problems.add(new Problem(id, "listener " + listener.name() + " needs name, port, type and tls"));
            }
        }
    }

    private static void checkPool(KafkaNodePool pool, List<Problem> problems) {
        String id = Manifests.describe(pool);
        if (pool.spec() == null || pool.spec().replicas() == null || pool.spec().replicas() < 1) {
            problems.add(new Problem(id, "spec.replicas is required and at least 1"));
        }
        List<String> roles = pool.spec() == null || pool.spec().roles() == null ? List.of() : pool.spec().roles();
        if (roles.isEmpty() || !List.of(KafkaNodePool.BROKER, KafkaNodePool.CONTROLLER).containsAll(roles)) {
            problems.add(new Problem(id, "spec.roles " + roles + " must be broker and/or controller"));
        }
        if (pool.spec() == null || pool.spec().storage() == null) {
            problems.add(new Problem(id, "spec.storage is required"));
        }
    }

    static Kafka requireCluster(StrimziResource resource, Manifests manifests, List<Problem> problems) {
        String cluster = resource.cluster();
        if (cluster == null) {
            problems.add(new Problem(Manifests.describe(resource), "has no " + StrimziResource.CLUSTER_LABEL
                    + " label: no Kafka cluster will pick it up"));
            return null;
        }
        var kafka = manifests.find(Kafka.class, resource.metadata().getNamespace(), cluster);
        if (kafka.isEmpty()) {
            problems.add(new Problem(Manifests.describe(resource), "label " + StrimziResource.CLUSTER_LABEL + "="
                    + cluster + " names no Kafka in namespace " + resource.metadata().getNamespace()));
        }
        return kafka.orElse(null);
    }

    private static List<KafkaNodePool> pools(Kafka kafka, Manifests manifests) {
        return manifests.all(KafkaNodePool.class).stream()
                .filter(p -> Objects.equals(p.metadata().getNamespace(), kafka.metadata().getNamespace()))
                .filter(p -> kafka.metadata().getName().equals(p.cluster()))
                .toList();
    }

    static int brokers(Kafka kafka, Manifests manifests) {
        return pools(kafka, manifests).stream()
                .filter(p -> p.hasRole(KafkaNodePool.BROKER))
                .mapToInt(KafkaNodePool::replicas)
                .sum();
    }
}
