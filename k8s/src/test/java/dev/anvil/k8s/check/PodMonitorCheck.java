package dev.anvil.k8s.check;

import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.manifest.Problem;
import dev.anvil.k8s.monitoring.PodMonitor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A PodMonitor selects pods of its namespace, and each pod it selects has a container port of the name each of its
 * endpoints scrapes, on an absolute path: a pod without it would silently go unscraped.
 */
public final class PodMonitorCheck implements Check {

    @Override
    public List<Problem> check(Manifests manifests) {
        List<Problem> problems = new ArrayList<>();
        for (PodMonitor monitor : manifests.all(PodMonitor.class)) {
            String id = Manifests.describe(monitor);
            List<Workload> selected = Workload.all(manifests).stream()
                    .filter(w -> Objects.equals(w.namespace(), monitor.metadata().getNamespace()))
                    .filter(w -> monitor.spec() != null && Labels.selects(monitor.spec().selector(), w.podLabels()))
                    .toList();
            if (selected.isEmpty()) {
                problems.add(new Problem(id, "spec.selector selects no pods of its namespace"));
            }
            for (PodMonitor.Endpoint endpoint : monitor.endpoints()) {
                if (endpoint.path() != null && !endpoint.path().startsWith("/")) {
                    problems.add(new Problem(id, "path " + endpoint.path() + " is not absolute"));
                }
                selected.stream().filter(w -> w.containers().noneMatch(c -> Workload.nonNull(c.getPorts()).stream()
                                .anyMatch(p -> Objects.equals(p.getName(), endpoint.port()))))
                        .forEach(w -> problems.add(new Problem(id, "selects " + w.describe()
                                + ", which has no container port named " + endpoint.port())));
            }
        }
        return problems;
    }
}
