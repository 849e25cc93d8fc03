package dev.anvil.k8s.monitoring;

import dev.anvil.k8s.manifest.CustomResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;

/**
 * The Prometheus operator's {@code PodMonitor}: which pods of its namespace Prometheus scrapes, on which named
 * container port and path. Prometheus labels each series with the pod's {@code namespace} and {@code pod}.
 */
public record PodMonitor(String apiVersion, String kind, ObjectMeta metadata, Spec spec) implements CustomResource {

    public static final String API_VERSION = "monitoring.coreos.com/v1";

    public record Spec(LabelSelector selector, List<Endpoint> podMetricsEndpoints) {}

    public record Endpoint(String port, String path, String interval, String scheme) {}

    public List<Endpoint> endpoints() {
        return spec == null || spec.podMetricsEndpoints() == null ? List.of() : spec.podMetricsEndpoints();
    }
}
