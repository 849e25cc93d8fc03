package dev.anvil.k8s.check;

import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.strimzi.KafkaUser;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** The key/value pairs a ConfigMap or Secret holds, Secrets' base64 {@code data} decoded. */
public final class ConfigData {

    private ConfigData() {}

    public static Map<String, String> values(ConfigMap configMap) {
        Map<String, String> values = new LinkedHashMap<>();
        if (configMap.getBinaryData() != null) {
            configMap.getBinaryData().keySet().forEach(key -> values.put(key, null));
        }
        if (configMap.getData() != null) {
            values.putAll(configMap.getData());
        }
        return values;
    }

    public static Map<String, String> values(Secret secret) {
        Map<String, String> values = new LinkedHashMap<>();
        if (secret.getData() != null) {
            // Line breaks are skipped as the API server's decoder skips them: kustomize wraps long values in lines.
            secret.getData().forEach((key, encoded) -> values.put(key, new String(
                    Base64.getDecoder().decode(encoded.replaceAll("[\r\n]", "")), StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            values.putAll(secret.getStringData());
        }
        return values;
    }

    static Set<String> keys(ConfigMap configMap) {
        return values(configMap).keySet();
    }

    static Set<String> keys(Secret secret) {
        return values(secret).keySet();
    }

    /**
     * The keys of the Secret {@code name} in {@code namespace}: one the set declares, or the one Strimzi's User
     * Operator writes for a KafkaUser of the set; empty when there is neither.
     */
    static Optional<Set<String>> secretKeys(Manifests manifests, String namespace, String name) {
        Optional<Secret> declared = manifests.find(Secret.class, namespace, name);
        if (declared.isPresent()) {
            return declared.map(ConfigData::keys);
        }
        return manifests.all(KafkaUser.class).stream()
                .filter(user -> Objects.equals(user.metadata().getNamespace(), namespace))
                .filter(user -> user.secretName().equals(name))
                .findFirst().map(KafkaUser::secretKeys);
    }
}
