package dev.anvil.k8s.strimzi;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Map;

/**
 * Strimzi's {@code KafkaTopic}. A topic name with dots is not a valid resource name, so such a topic has a dashed
 * {@code metadata.name} and its real name in {@code spec.topicName}.
 */
public record KafkaTopic(String apiVersion, String kind, ObjectMeta metadata, Spec spec) implements StrimziResource {

    /**
     * {@code config} holds Kafka topic properties, so any key is allowed there. partitions and replicas are optional
     * (the broker's defaults apply) and boxed, so that a misspelled name is reported as such.
     */
    public record Spec(String topicName, Integer partitions, Integer replicas, Map<String, Object> config) {}

    /** The name of the topic in Kafka. */
    public String topicName() {
        return spec != null && spec.topicName() != null ? spec.topicName() : metadata.getName();
    }

    public Integer intConfig(String key) {
        if (spec == null || spec.config() == null) {
            return null;
        }
        Object value = spec.config().get(key);
        return value == null ? null : Integer.valueOf(value.toString());
    }
}
