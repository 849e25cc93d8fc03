package dev.anvil.k8s.check;

import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.manifest.Problem;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A HorizontalPodAutoscaler must target a Deployment or StatefulSet that exists, whose containers request the
 * resource it scales on (utilization is measured against the request), and which does not pin a replica count
 * that every apply would reset. PodDisruptionBudgets: {@link DisruptionBudgetCheck}.
 */
public final class AutoscalingCheck implements Check {

    @Override
    public List<Problem> check(Manifests manifests) {
        List<Problem> problems = new ArrayList<>();
        List<Workload> workloads = Workload.all(manifests);
        for (HorizontalPodAutoscaler hpa : manifests.all(HorizontalPodAutoscaler.class)) {
            checkAutoscaler(hpa, workloads, problems);
        }
        return problems;
    }

    private static void checkAutoscaler(HorizontalPodAutoscaler hpa, List<Workload> workloads, List<Problem> problems) {
        String id = Manifests.describe(hpa);
        var spec = hpa.getSpec();
        CrossVersionObjectReference ref = spec.getScaleTargetRef();
        Optional<Workload> target = workloads.stream().filter(w -> w.isScaledBy(hpa)).findFirst();
        if (target.isEmpty()) {
            problems.add(new Problem(id, "scaleTargetRef " + ref.getApiVersion() + " " + ref.getKind() + " "
                    + ref.getName() + " does not exist"));
            return;
        }
        int min = spec.getMinReplicas() == null ? 1 : spec.getMinReplicas();
        if (spec.getMaxReplicas() == null || spec.getMaxReplicas() < min) {
            problems.add(new Problem(id, "maxReplicas " + spec.getMaxReplicas() + " is below minReplicas " + min));
        }
        Integer pinned = target.get().pinnedReplicas();
        if (pinned != null) {
            problems.add(new Problem(id, target.get().describe() + " sets spec.replicas " + pinned
                    + ": every apply would reset the autoscaler's count"));
        }
        for (MetricSpec metric : Workload.nonNull(spec.getMetrics())) {
            if (metric.getResource() == null) {
                continue;
            }
            String resource = metric.getResource().getName();
            target.get().podSpec().getContainers().stream()
                    .filter(c -> !requests(c.getResources() == null ? null : c.getResources().getRequests(), resource))
                    .forEach(c -> problems.add(new Problem(id, "scales on " + resource + " but container "
                            + c.getName() + " of " + target.get().describe() + " requests no " + resource)));
        }
    }

    private static boolean requests(Map<String, Quantity> requests, String resource) {
        return requests != null && requests.containsKey(resource);
    }
}
