package dev.anvil.k8s.check;

import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.manifest.Problem;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A PodDisruptionBudget must select pods that exist, and must let at least one of them go: a budget that keeps every
 * pod (minAvailable at or above the replicas, maxUnavailable 0) makes every node drain wait forever, which a cluster
 * upgrade only shows hours in. Replicas are the workload's own, else its autoscaler's minimum, else Kubernetes'
 * default of 1.
 */
public final class DisruptionBudgetCheck implements Check {

    @Override
    public List<Problem> check(Manifests manifests) {
        List<Problem> problems = new ArrayList<>();
        List<Workload> workloads = Workload.all(manifests);
        for (PodDisruptionBudget pdb : manifests.all(PodDisruptionBudget.class)) {
            List<Workload> selected = workloads.stream()
                    .filter(w -> Objects.equals(w.namespace(), pdb.getMetadata().getNamespace()))
                    .filter(w -> Labels.selects(pdb.getSpec().getSelector(), w.podLabels()))
                    .toList();
            if (selected.isEmpty()) {
                problems.add(new Problem(Manifests.describe(pdb), "spec.selector selects no pod template"));
                continue;
            }
            int replicas = selected.stream().mapToInt(w -> w.minimumReplicas(manifests)).sum();
            String keepsAll = keepsEveryPod(pdb, replicas);
            if (keepsAll != null) {
                problems.add(new Problem(Manifests.describe(pdb), keepsAll + " with " + replicas
                        + " pod(s) selected: no pod may ever be evicted, so node drains would wait forever"));
            }
        }
        return problems;
    }

    /** Why the budget lets none of {@code replicas} pods go, or null when it lets one. */
    private static String keepsEveryPod(PodDisruptionBudget pdb, int replicas) {
        IntOrString minAvailable = pdb.getSpec().getMinAvailable();
        IntOrString maxUnavailable = pdb.getSpec().getMaxUnavailable();
        if (minAvailable != null && podsOf(minAvailable, replicas) >= replicas) {
            return "minAvailable " + text(minAvailable);
        }
        if (maxUnavailable != null && podsOf(maxUnavailable, replicas) == 0) {
            return "maxUnavailable " + text(maxUnavailable);
        }
        return null;
    }

    /** An absolute number of pods, or a percentage of the replicas rounded up, as the disruption controller does. */
    private static int podsOf(IntOrString value, int replicas) {
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        int percent = Integer.parseInt(value.getStrVal().replace("%", "").strip());
        return (int) Math.ceil(replicas * percent / 100.0);
    }

    private static String text(IntOrString value) {
        return value.getIntVal() != null ? String.valueOf(value.getIntVal()) : value.getStrVal();
    }
}
