package dev.anvil.k8s.manifest;

import dev.anvil.k8s.keda.ScaledObject;
import dev.anvil.k8s.keda.TriggerAuthentication;
import dev.anvil.k8s.monitoring.PodMonitor;
import dev.anvil.k8s.strimzi.StrimziResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * A resource of an operator's CRD that fabric8 has no model for (Strimzi, KEDA, the Prometheus operator): a small
 * strict record holding exactly the fields the manifests use, so that any other field fails the read as a
 * misspelling would.
 */
public interface CustomResource {

    String apiVersion();

    String kind();

    ObjectMeta metadata();

    /** The record that reads this apiVersion and kind, or null when none does. */
    static Class<? extends CustomResource> typeOf(String apiVersion, String kind) {
        Class<? extends CustomResource> strimzi = StrimziResource.typeOf(apiVersion, kind);
        if (strimzi != null) {
            return strimzi;
        }
        return switch (apiVersion + " " + kind) {
            case ScaledObject.API_VERSION + " ScaledObject" -> ScaledObject.class;
            case TriggerAuthentication.API_VERSION + " TriggerAuthentication" -> TriggerAuthentication.class;
            case PodMonitor.API_VERSION + " PodMonitor" -> PodMonitor.class;
            default -> null;
        };
    }
}
