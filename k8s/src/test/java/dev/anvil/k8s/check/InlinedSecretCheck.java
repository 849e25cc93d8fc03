package dev.anvil.k8s.check;

import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.manifest.Problem;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Credentials are referenced from a Secret, never inlined: an environment variable named like one (a password,
 * secret, token, a key such as ANVIL_GATEWAY_ADMIN_KEY, or a Kafka login such as KAFKA_SASL_JAAS_CONFIG) must take its value from a secretKeyRef, not a literal
 * value in the workload nor a ConfigMap, which anyone who may read the workload or ConfigMaps (and git) would see.
 */
public final class InlinedSecretCheck implements Check {

    private static final Pattern CREDENTIAL = Pattern.compile("(^|_)(PASSWORD|SECRET|TOKEN)(_|$)|_KEY$|_JAAS_CONFIG$");

    @Override
    public List<Problem> check(Manifests manifests) {
        List<Problem> problems = new ArrayList<>();
        for (Workload workload : Workload.all(manifests)) {
            workload.containers().forEach(container -> {
                String at = "container " + container.getName() + " ";
                for (EnvVar env : Workload.nonNull(container.getEnv())) {
                    if (isCredential(env.getName())
                            && (env.getValueFrom() == null || env.getValueFrom().getSecretKeyRef() == null)) {
                        problems.add(new Problem(workload.describe(), at + "env " + env.getName()
                                + " must come from a Secret (secretKeyRef), not "
                                + (env.getValueFrom() == null ? "a literal value" : "a ConfigMap or field")));
                    }
                }
                for (EnvFromSource source : Workload.nonNull(container.getEnvFrom())) {
                    if (source.getConfigMapRef() == null) {
                        continue;
                    }
                    String prefix = source.getPrefix() == null ? "" : source.getPrefix();
                    manifests.find(ConfigMap.class, workload.namespace(), source.getConfigMapRef().getName())
                            .map(ConfigData::keys).orElse(Set.of()).stream()
                            .filter(key -> isCredential(prefix + key))
                            .forEach(key -> problems.add(new Problem(workload.describe(), at + "envFrom ConfigMap "
                                    + source.getConfigMapRef().getName() + " sets " + prefix + key
                                    + ", a credential: it must come from a Secret")));
                }
            });
        }
        return problems;
    }

    static boolean isCredential(String variable) {
        return CREDENTIAL.matcher(variable).find();
    }
}
