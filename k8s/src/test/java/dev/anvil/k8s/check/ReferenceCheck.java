package dev.anvil.k8s.check;

import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.manifest.Problem;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a pod refers to by name must exist beside it: ConfigMaps and Secrets (and the keys read from them) in env,
 * envFrom and volumes, PersistentVolumeClaims, the ServiceAccount, and the volumes its containers mount. A missing
 * one leaves the pod in CreateContainerConfigError or Pending, which only a real cluster would show. A KafkaUser's
 * Secret counts as existing: Strimzi's User Operator writes it.
 */
public final class ReferenceCheck implements Check {

    @Override
    public List<Problem> check(Manifests manifests) {
        List<Problem> problems = new ArrayList<>();
        for (Workload workload : Workload.all(manifests)) {
            new PodReferences(manifests, workload, problems).check();
        }
        return problems;
    }

    private record PodReferences(Manifests manifests, Workload workload, List<Problem> problems) {

        void check() {
            String account = workload.podSpec().getServiceAccountName();
            if (account != null && !account.equals("default")
                    && manifests.find(ServiceAccount.class, workload.namespace(), account).isEmpty()) {
                report("serviceAccountName " + account + " names no ServiceAccount");
            }
            Set<String> volumes = new HashSet<>();
            for (Volume volume : Workload.nonNull(workload.podSpec().getVolumes())) {
                volumes.add(volume.getName());
                checkVolume(volume);
            }
            workload.claimTemplates().forEach(claim -> volumes.add(claim.getMetadata().getName()));
            workload.containers().forEach(container -> checkContainer(container, volumes));
        }

        private void checkVolume(Volume volume) {
            String at = "volume " + volume.getName();
            if (volume.getConfigMap() != null) {
                requireConfigMap(at, volume.getConfigMap().getName(), null, volume.getConfigMap().getOptional());
            }
            if (volume.getSecret() != null) {
                requireSecret(at, volume.getSecret().getSecretName(), null, volume.getSecret().getOptional());
            }
            if (volume.getPersistentVolumeClaim() != null) {
                String claim = volume.getPersistentVolumeClaim().getClaimName();
                if (manifests.find(PersistentVolumeClaim.class, workload.namespace(), claim).isEmpty()) {
                    report(at + " claims PersistentVolumeClaim " + claim + ", which does not exist");
                }
            }
        }

        private void checkContainer(Container container, Set<String> volumes) {
            String at = "container " + container.getName();
            for (VolumeMount mount : Workload.nonNull(container.getVolumeMounts())) {
                if (!volumes.contains(mount.getName())) {
                    report(at + " mounts volume " + mount.getName() + ", which the pod does not declare");
                }
            }
            for (EnvFromSource source : Workload.nonNull(container.getEnvFrom())) {
                if (source.getConfigMapRef() != null) {
                    requireConfigMap(at + " envFrom", source.getConfigMapRef().getName(), null,
                            source.getConfigMapRef().getOptional());
                }
                if (source.getSecretRef() != null) {
                    requireSecret(at + " envFrom", source.getSecretRef().getName(), null,
                            source.getSecretRef().getOptional());
                }
            }
            for (EnvVar env : Workload.nonNull(container.getEnv())) {
                var from = env.getValueFrom();
                if (from != null && from.getConfigMapKeyRef() != null) {
                    var ref = from.getConfigMapKeyRef();
                    requireConfigMap(at + " env " + env.getName(), ref.getName(), ref.getKey(), ref.getOptional());
                }
                if (from != null && from.getSecretKeyRef() != null) {
                    var ref = from.getSecretKeyRef();
                    requireSecret(at + " env " + env.getName(), ref.getName(), ref.getKey(), ref.getOptional());
                }
            }
        }

        private void requireConfigMap(String at, String name, String key, Boolean optional) {
            if (Boolean.TRUE.equals(optional)) {
                return;
            }
            var configMap = manifests.find(ConfigMap.class, workload.namespace(), name);
            if (configMap.isEmpty()) {
                report(at + " reads ConfigMap " + name + ", which does not exist");
            } else if (key != null && !ConfigData.keys(configMap.get()).contains(key)) {
                report(at + " reads key " + key + " of ConfigMap " + name + ", which has no such key");
            }
        }

        private void requireSecret(String at, String name, String key, Boolean optional) {
            if (Boolean.TRUE.equals(optional)) {
                return;
            }
            var keys = ConfigData.secretKeys(manifests, workload.namespace(), name);
            if (keys.isEmpty()) {
                report(at + " reads Secret " + name + ", which does not exist");
            } else if (key != null && !keys.get().contains(key)) {
                report(at + " reads key " + key + " of Secret " + name + ", which has no such key");
            }
        }

        private void report(String message) {
            problems.add(new Problem(workload.describe(), message));
        }
    }
}
