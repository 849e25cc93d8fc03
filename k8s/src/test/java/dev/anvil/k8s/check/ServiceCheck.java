package dev.anvil.k8s.check;

import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.manifest.Problem;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Service must select pods that exist and send each port to a port those pods declare; a StatefulSet's
 * governing Service must exist.
 */
public final class ServiceCheck implements Check {

    @Override
    public List<Problem> check(Manifests manifests) {
        List<Problem> problems = new ArrayList<>();
        List<Workload> workloads = Workload.all(manifests);
        for (Service service : manifests.all(Service.class)) {
            checkService(service, workloads, problems);
        }
        for (StatefulSet statefulSet : manifests.all(StatefulSet.class)) {
            String serviceName = statefulSet.getSpec().getServiceName();
            if (serviceName != null && manifests.find(Service.class,
                    statefulSet.getMetadata().getNamespace(), serviceName).isEmpty()) {
                problems.add(new Problem(Manifests.describe(statefulSet),
                        "spec.serviceName names Service " + serviceName + ", which does not exist"));
            }
        }
        return problems;
    }

    private static void checkService(Service service, List<Workload> workloads, List<Problem> problems) {
        String id = Manifests.describe(service);
        if ("ExternalName".equals(service.getSpec().getType())) {
            return;
        }
        var selector = service.getSpec().getSelector();
        if (selector == null || selector.isEmpty()) {
            problems.add(new Problem(id, "spec.selector is empty: the Service would have no endpoints"));
            return;
        }
        List<Workload> selected = workloads.stream()
                .filter(w -> Objects.equals(w.namespace(), service.getMetadata().getNamespace()))
                .filter(w -> Labels.selects(selector, w.podLabels()))
                .toList();
        if (selected.isEmpty()) {
            problems.add(new Problem(id, "spec.selector " + selector + " selects no pod template in namespace "
                    + service.getMetadata().getNamespace()));
            return;
        }
        for (ServicePort port : Workload.nonNull(service.getSpec().getPorts())) {
            IntOrString target = port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort());
            for (Workload workload : selected) {
                if (workload.containers().noneMatch(c -> Ports.declares(c, target))) {
                    problems.add(new Problem(id, "port " + port.getPort() + " targets " + Ports.text(target)
                            + ", which no container of " + workload.describe() + " declares"));
                }
            }
        }
    }
}
