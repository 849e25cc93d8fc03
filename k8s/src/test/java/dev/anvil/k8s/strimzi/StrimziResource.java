package dev.anvil.k8s.strimzi;

import dev.anvil.k8s.manifest.CustomResource;
import java.util.Map;

/** A Strimzi custom resource. */
public sealed interface StrimziResource extends CustomResource permits Kafka, KafkaNodePool, KafkaTopic, KafkaUser {

    String GROUP = "kafka.strimzi.io";
    String API_VERSION = GROUP + "/v1beta2";
    /** The label by which node pools and topics name the Kafka cluster they belong to. */
    String CLUSTER_LABEL = "strimzi.io/cluster";
    /** Labels Strimzi puts on the pods it runs: the kind of resource they serve, and which component they are. */
    String KIND_LABEL = "strimzi.io/kind";
    String NAME_LABEL = "strimzi.io/name";

    /** The Kafka cluster this resource belongs to, or null when the label is missing. */
    default String cluster() {
        Map<String, String> labels = metadata().getLabels();
        return labels == null ? null : labels.get(CLUSTER_LABEL);
    }

    static Class<? extends StrimziResource> typeOf(String apiVersion, String kind) {
        if (apiVersion == null || !apiVersion.startsWith(GROUP + "/")) {
            return null;
        }
        return switch (kind) {
            case "Kafka" -> Kafka.class;
            case "KafkaNodePool" -> KafkaNodePool.class;
            case "KafkaTopic" -> KafkaTopic.class;
            case "KafkaUser" -> KafkaUser.class;
            default -> null;
        };
    }
}
