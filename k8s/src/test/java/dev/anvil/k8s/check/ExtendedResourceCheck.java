package dev.anvil.k8s.check;

import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.manifest.Problem;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Extended resources such as {@code nvidia.com/gpu} (a name with a domain outside kubernetes.io) cannot be
 * overcommitted or shared: the API server refuses a pod that requests one without a limit, with a request other than
 * its limit, or a fraction of one. Offline rendering accepts all three.
 */
public final class ExtendedResourceCheck implements Check {

    @Override
    public List<Problem> check(Manifests manifests) {
        List<Problem> problems = new ArrayList<>();
        for (Workload workload : Workload.all(manifests)) {
            workload.containers().forEach(container -> checkContainer(workload, container, problems));
        }
        return problems;
    }

    static boolean isExtended(String resource) {
        int slash = resource.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String domain = resource.substring(0, slash);
        return !domain.equals("kubernetes.io") && !domain.endsWith(".kubernetes.io");
    }

    private static void checkContainer(Workload workload, Container container, List<Problem> problems) {
        var resources = container.getResources();
        Map<String, Quantity> requests = resources == null || resources.getRequests() == null
                ? Map.of() : resources.getRequests();
        Map<String, Quantity> limits = resources == null || resources.getLimits() == null
                ? Map.of() : resources.getLimits();
        TreeSet<String> names = new TreeSet<>(requests.keySet());
        names.addAll(limits.keySet());
        String at = "container " + container.getName() + " ";
        for (String name : names) {
            if (!isExtended(name)) {
                continue;
            }
            Quantity request = requests.get(name);
            Quantity limit = limits.get(name);
            if (limit == null) {
                problems.add(new Problem(workload.describe(), at + "requests " + name
                        + " without a limit; extended resources need limits (requests, if given, equal to them)"));
                continue;
            }
            BigDecimal amount = Quantity.getAmountInBytes(limit);
            if (amount.stripTrailingZeros().scale() > 0 || amount.signum() < 0) {
                problems.add(new Problem(workload.describe(), at + "limit " + name + " " + limit
                        + " must be a whole number"));
            }
            if (request != null && Quantity.getAmountInBytes(request).compareTo(amount) != 0) {
                problems.add(new Problem(workload.describe(), at + "request " + name + " " + request
                        + " differs from its limit " + limit + "; extended resources cannot be overcommitted"));
            }
        }
    }
}
