package dev.anvil.k8s.strimzi;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/** Strimzi's {@code KafkaNodePool}: a group of KRaft nodes with the roles controller and/or broker. */
public record KafkaNodePool(String apiVersion, String kind, ObjectMeta metadata, Spec spec)
        implements StrimziResource {

    public static final String BROKER = "broker";
    public static final String CONTROLLER = "controller";

    /** Boxed so that a missing value is reported as missing, after any misspelled name, not as a mapping error. */
    public record Spec(Integer replicas, List<String> roles, Storage storage, ResourceRequirements resources) {}

    /** Storage of type ephemeral, persistent-claim or jbod (whose volumes are themselves storages). */
    public record Storage(String type, Integer id, String size, Boolean deleteClaim, String kraftMetadata,
            List<Storage> volumes) {}

    public boolean hasRole(String role) {
        return spec != null && spec.roles() != null && spec.roles().contains(role);
    }

    public int replicas() {
        return spec == null || spec.replicas() == null ? 0 : spec.replicas();
    }
}
