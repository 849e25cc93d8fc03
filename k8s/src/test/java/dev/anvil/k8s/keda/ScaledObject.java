package dev.anvil.k8s.keda;

import dev.anvil.k8s.manifest.CustomResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import java.util.List;
import java.util.Map;

/**
 * KEDA's {@code ScaledObject}: scales a Deployment or StatefulSet on external signals (triggers) through an HPA that
 * KEDA makes and owns. Replica counts are boxed so that an unset one reads as KEDA's default.
 */
public record ScaledObject(String apiVersion, String kind, ObjectMeta metadata, Spec spec) implements CustomResource {

    public static final String API_VERSION = "keda.sh/v1alpha1";
    /** KEDA's defaults for unset counts. */
    public static final int DEFAULT_MIN_REPLICAS = 0;
    public static final int DEFAULT_MAX_REPLICAS = 100;

    public record Spec(TargetRef scaleTargetRef, Integer minReplicaCount, Integer maxReplicaCount,
            Integer idleReplicaCount, Integer pollingInterval, Integer cooldownPeriod, Advanced advanced,
            List<Trigger> triggers) {}

    /** {@code apiVersion} defaults to apps/v1 and {@code kind} to Deployment. */
    public record TargetRef(String apiVersion, String kind, String name, String envSourceContainerName) {

        public String apiVersionOrDefault() {
            return apiVersion == null ? "apps/v1" : apiVersion;
        }

        public String kindOrDefault() {
            return kind == null ? "Deployment" : kind;
        }
    }

    public record Advanced(HorizontalPodAutoscalerConfig horizontalPodAutoscalerConfig,
            Boolean restoreToOriginalReplicaCount) {}

    public record HorizontalPodAutoscalerConfig(String name, HorizontalPodAutoscalerBehavior behavior) {}

    /** {@code metadata} is the scaler's own parameters, so any key is allowed there. */
    public record Trigger(String type, String name, Map<String, String> metadata, AuthenticationRef authenticationRef,
            String metricType) {

        public String parameter(String key) {
            return metadata == null ? null : metadata.get(key);
        }
    }

    /** {@code kind} TriggerAuthentication (the default) or ClusterTriggerAuthentication. */
    public record AuthenticationRef(String name, String kind) {}

    public List<Trigger> triggers() {
        return spec == null || spec.triggers() == null ? List.of() : spec.triggers();
    }

    public int minReplicas() {
        return spec.minReplicaCount() == null ? DEFAULT_MIN_REPLICAS : spec.minReplicaCount();
    }

    public int maxReplicas() {
        return spec.maxReplicaCount() == null ? DEFAULT_MAX_REPLICAS : spec.maxReplicaCount();
    }
}
