package dev.anvil.k8s.check;

import dev.anvil.k8s.keda.ScaledObject;
import dev.anvil.k8s.manifest.Manifests;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A resource that runs pods (Deployment, StatefulSet, DaemonSet, Job, CronJob), seen through what the rules need:
 * its selector, its pod template and, for a StatefulSet, its volume claim templates.
 */
public record Workload(HasMetadata owner, LabelSelector selector, PodTemplateSpec template,
        List<PersistentVolumeClaim> claimTemplates) {

    public static List<Workload> all(Manifests manifests) {
        List<Workload> workloads = new ArrayList<>();
        manifests.all(Deployment.class).forEach(d -> workloads.add(
                new Workload(d, d.getSpec().getSelector(), d.getSpec().getTemplate(), List.of())));
        manifests.all(StatefulSet.class).forEach(s -> workloads.add(new Workload(s, s.getSpec().getSelector(),
                s.getSpec().getTemplate(), nonNull(s.getSpec().getVolumeClaimTemplates()))));
        manifests.all(DaemonSet.class).forEach(d -> workloads.add(
                new Workload(d, d.getSpec().getSelector(), d.getSpec().getTemplate(), List.of())));
        manifests.all(Job.class).forEach(j -> workloads.add(
                new Workload(j, j.getSpec().getSelector(), j.getSpec().getTemplate(), List.of())));
        manifests.all(CronJob.class).forEach(c -> workloads.add(new Workload(c, null,
                c.getSpec().getJobTemplate().getSpec().getTemplate(), List.of())));
        return workloads;
    }

    public String namespace() {
        return owner.getMetadata().getNamespace();
    }

    public String describe() {
        return Manifests.describe(owner);
    }

    /** The replica count the workload pins (Deployment, StatefulSet), or null: unset, or not a replicated kind. */
    public Integer pinnedReplicas() {
        if (owner instanceof Deployment deployment) {
            return deployment.getSpec().getReplicas();
        }
        return owner instanceof StatefulSet statefulSet ? statefulSet.getSpec().getReplicas() : null;
    }

    /**
     * The fewest pods it runs: its pinned replicas, else its autoscaler's minimum (an HPA's or a KEDA
     * ScaledObject's; KEDA keeps at least one while a trigger is active, so 0 counts as 1), else Kubernetes' 1.
     */
    public int minimumReplicas(Manifests manifests) {
        Integer pinned = pinnedReplicas();
        if (pinned != null) {
            return pinned;
        }
        Stream<Integer> hpa = manifests.all(HorizontalPodAutoscaler.class).stream().filter(this::isScaledBy)
                .map(a -> a.getSpec().getMinReplicas() == null ? 1 : a.getSpec().getMinReplicas());
        Stream<Integer> keda = manifests.all(ScaledObject.class).stream().filter(this::isScaledBy)
                .map(ScaledObject::minReplicas);
        return Stream.concat(hpa, keda).findFirst().map(min -> Math.max(1, min)).orElse(1);
    }

    /** Whether this is the Deployment or StatefulSet the ScaledObject scales. */
    public boolean isScaledBy(ScaledObject scaled) {
        ScaledObject.TargetRef ref = scaled.spec() == null ? null : scaled.spec().scaleTargetRef();
        return ref != null && isScaleTarget(scaled.metadata().getNamespace(), ref.apiVersionOrDefault(),
                ref.kindOrDefault(), ref.name());
    }

    /** Whether this is the Deployment or StatefulSet the autoscaler scales. */
    public boolean isScaledBy(HorizontalPodAutoscaler hpa) {
        CrossVersionObjectReference target = hpa.getSpec().getScaleTargetRef();
        return isScaleTarget(hpa.getMetadata().getNamespace(), target.getApiVersion(), target.getKind(),
                target.getName());
    }

    /** Whether this is the Deployment or StatefulSet a scale target reference of {@code namespace} names. */
    public boolean isScaleTarget(String namespace, String apiVersion, String kind, String name) {
        return (owner instanceof Deployment || owner instanceof StatefulSet)
                && Objects.equals(namespace(), namespace) && owner.getKind().equals(kind)
                && owner.getApiVersion().equals(apiVersion) && owner.getMetadata().getName().equals(name);
    }

    public Map<String, String> podLabels() {
        Map<String, String> labels = template == null || template.getMetadata() == null
                ? null : template.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    public PodSpec podSpec() {
        return template == null || template.getSpec() == null ? new PodSpec() : template.getSpec();
    }

    /** Init containers first, then the main ones: every container the pod runs. */
    public Stream<Container> containers() {
        return Stream.concat(nonNull(podSpec().getInitContainers()).stream(),
                nonNull(podSpec().getContainers()).stream());
    }

    /** The names of the Secrets its pods read: in env, envFrom and volumes, projected ones included. */
    public Set<String> secretsRead() {
        Set<String> secrets = new TreeSet<>();
        containers().forEach(container -> {
            nonNull(container.getEnv()).stream().map(EnvVar::getValueFrom)
                    .filter(from -> from != null && from.getSecretKeyRef() != null)
                    .forEach(from -> secrets.add(from.getSecretKeyRef().getName()));
            nonNull(container.getEnvFrom()).stream().filter(from -> from.getSecretRef() != null)
                    .forEach(from -> secrets.add(from.getSecretRef().getName()));
        });
        for (Volume volume : nonNull(podSpec().getVolumes())) {
            if (volume.getSecret() != null) {
                secrets.add(volume.getSecret().getSecretName());
            }
            if (volume.getProjected() != null) {
                nonNull(volume.getProjected().getSources()).stream().filter(source -> source.getSecret() != null)
                        .forEach(source -> secrets.add(source.getSecret().getName()));
            }
        }
        return secrets;
    }

    static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
