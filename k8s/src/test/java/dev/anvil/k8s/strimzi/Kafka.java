package dev.anvil.k8s.strimzi;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import java.util.Map;

/** Strimzi's {@code Kafka}: a KRaft cluster whose nodes come from {@link KafkaNodePool}s. */
public record Kafka(String apiVersion, String kind, ObjectMeta metadata, Spec spec) implements StrimziResource {

    public record Spec(Cluster kafka, EntityOperator entityOperator) {}

    /** Broker-wide settings; {@code config} holds Kafka broker properties, so any key is allowed there. */
    public record Cluster(String version, String metadataVersion, List<Listener> listeners,
            Map<String, Object> config) {}

    /** Boxed so that a missing value is reported as missing, after any misspelled name, not as a mapping error. */
    public record Listener(String name, Integer port, String type, Boolean tls) {}

    public record EntityOperator(TopicOperator topicOperator, UserOperator userOperator) {}

    public record TopicOperator(String watchedNamespace) {}

    public record UserOperator(String watchedNamespace) {}

    /** The Service Strimzi creates in front of the brokers: clients bootstrap from {@code <cluster>-kafka-bootstrap}. */
    public String bootstrapServiceName() {
        return metadata.getName() + "-kafka-bootstrap";
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
