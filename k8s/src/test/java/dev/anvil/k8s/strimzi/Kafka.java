package dev.anvil.k8s.strimzi;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;
import java.util.Map;

/** Strimzi's {@code Kafka}: a KRaft cluster whose nodes come from {@link KafkaNodePool}s. */
public record Kafka(String apiVersion, String kind, ObjectMeta metadata, Spec spec) implements StrimziResource {

    public record Spec(Cluster kafka, EntityOperator entityOperator) {}

    /** Broker-wide settings; {@code config} holds Kafka broker properties, so any key is allowed there. */
    public record Cluster(String version, String metadataVersion, List<Listener> listeners,
            Authorization authorization, Map<String, Object> config) {}

    /**
     * Boxed so that a missing value is reported as missing, after any misspelled name, not as a mapping error.
     * {@code networkPolicyPeers}: who may connect, written by Strimzi into the NetworkPolicy of the Kafka nodes
     * (none: anyone).
     */
    public record Listener(String name, Integer port, String type, Boolean tls, Authentication authentication,
            List<NetworkPolicyPeer> networkPolicyPeers) {

        /** The authentication type clients of this listener need, or null when it takes anonymous clients. */
        public String authenticationType() {
            return authentication == null ? null : authentication.type();
        }
    }

    /** How clients log in on a listener: tls (certificates), scram-sha-512, ... */
    public record Authentication(String type) {}

    /** {@code simple}: Kafka's ACLs, which the KafkaUsers' authorization sets. */
    public record Authorization(String type, List<String> superUsers) {}

    public record EntityOperator(TopicOperator topicOperator, UserOperator userOperator) {}

    public record TopicOperator(String watchedNamespace) {}

    public record UserOperator(String watchedNamespace) {}

    /** The Service Strimzi creates in front of the brokers: clients bootstrap from {@code <cluster>-kafka-bootstrap}. */
    public String bootstrapServiceName() {
        return metadata.getName() + "-kafka-bootstrap";
    }

    public String authorizationType() {
        return spec == null || spec.kafka() == null || spec.kafka().authorization() == null
                ? null : spec.kafka().authorization().type();
    }

    public boolean hasUserOperator() {
        return spec != null && spec.entityOperator() != null && spec.entityOperator().userOperator() != null;
    }

    /**
     * The labels Strimzi gives the pods of this cluster's Kafka nodes, whichever their pool: what a NetworkPolicy
     * selects them by, as the bootstrap Service does.
     */
    public Map<String, String> nodePodLabels() {
        return Map.of(CLUSTER_LABEL, metadata.getName(), KIND_LABEL, "Kafka", NAME_LABEL, metadata.getName() + "-kafka");
    }

    /** The labels of the entity operator's pod (topic and user operators), when the cluster has one. */
    public Map<String, String> entityOperatorPodLabels() {
        return Map.of(CLUSTER_LABEL, metadata.getName(), KIND_LABEL, "Kafka",
                NAME_LABEL, metadata.getName() + "-entity-operator");
    }

    public List<Listener> listeners() {
        return spec == null || spec.kafka() == null || spec.kafka().listeners() == null
                ? List.of() : spec.kafka().listeners();
    }

    /** A broker property as an integer, or null when it is not set. */
    public Integer intConfig(String key) {
        if (spec == null || spec.kafka() == null || spec.kafka().config() == null) {
            return null;
        }
        Object value = spec.kafka().config().get(key);
        return value == null ? null : Integer.valueOf(value.toString());
    }
}
