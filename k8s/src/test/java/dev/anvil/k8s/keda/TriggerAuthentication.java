package dev.anvil.k8s.keda;

import dev.anvil.k8s.manifest.CustomResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * KEDA's {@code TriggerAuthentication}: where a trigger's secret parameters come from, each one a key of a Secret
 * or a ConfigMap of the ScaledObject's namespace.
 */
public record TriggerAuthentication(String apiVersion, String kind, ObjectMeta metadata, Spec spec)
        implements CustomResource {

    public static final String API_VERSION = ScaledObject.API_VERSION;

    public record Spec(List<KeyRef> secretTargetRef, List<KeyRef> configMapTargetRef) {}

    /** The trigger parameter {@code parameter} is the value of key {@code key} of the object {@code name}. */
    public record KeyRef(String parameter, String name, String key) {}

    public List<KeyRef> secretRefs() {
        return spec == null || spec.secretTargetRef() == null ? List.of() : spec.secretTargetRef();
    }

    public List<KeyRef> configMapRefs() {
        return spec == null || spec.configMapTargetRef() == null ? List.of() : spec.configMapTargetRef();
    }

    /** Each parameter this provides, and where from; a Secret's wins where both name one, as in KEDA. */
    public Map<String, KeyRef> parameters() {
        Map<String, KeyRef> parameters = new LinkedHashMap<>();
        configMapRefs().forEach(ref -> parameters.put(ref.parameter(), ref));
        secretRefs().forEach(ref -> parameters.put(ref.parameter(), ref));
        return parameters;
    }
}
