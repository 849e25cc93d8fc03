package dev.anvil.k8s.check;

import dev.anvil.k8s.manifest.Manifests;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The environment a container will see, resolved from the manifests as the kubelet does it: envFrom first (with its
 * prefix), then env, which wins. A variable whose source is missing or not literal (fieldRef, resourceFieldRef) maps
 * to null: it exists, but its value is not known offline.
 */
public final class ContainerEnvironment {

    private ContainerEnvironment() {}

    public static Map<String, String> of(Manifests manifests, String namespace, Container container) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (EnvFromSource source : Workload.nonNull(container.getEnvFrom())) {
            String prefix = source.getPrefix() == null ? "" : source.getPrefix();
            Map<String, String> values = Map.of();
            if (source.getConfigMapRef() != null) {
                values = manifests.find(ConfigMap.class, namespace, source.getConfigMapRef().getName())
                        .map(ConfigData::values).orElse(Map.of());
            } else if (source.getSecretRef() != null) {
                values = manifests.find(Secret.class, namespace, source.getSecretRef().getName())
                        .map(ConfigData::values).orElse(Map.of());
            }
            values.forEach((key, value) -> environment.put(prefix + key, value));
        }
        for (EnvVar env : Workload.nonNull(container.getEnv())) {
            environment.put(env.getName(), value(manifests, namespace, env));
        }
        return environment;
    }

    private static String value(Manifests manifests, String namespace, EnvVar env) {
        var from = env.getValueFrom();
        if (from == null) {
            return env.getValue() == null ? "" : env.getValue();
        }
        Optional<Map<String, String>> values = Optional.empty();
        String key = null;
        if (from.getConfigMapKeyRef() != null) {
            key = from.getConfigMapKeyRef().getKey();
            values = manifests.find(ConfigMap.class, namespace, from.getConfigMapKeyRef().getName())
                    .map(ConfigData::values);
        } else if (from.getSecretKeyRef() != null) {
            key = from.getSecretKeyRef().getKey();
            values = manifests.find(Secret.class, namespace, from.getSecretKeyRef().getName())
                    .map(ConfigData::values);
        }
        String finalKey = key;
        return values.map(v -> v.get(finalKey)).orElse(null);
    }
}
