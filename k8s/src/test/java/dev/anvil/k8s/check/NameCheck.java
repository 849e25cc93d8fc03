package dev.anvil.k8s.check;

import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.manifest.Problem;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Names the API server would refuse: resource names must be DNS subdomains (so a Kafka topic name with an underscore
 * or capitals needs spec.topicName), Services and Namespaces DNS labels (they become host names, so no dots), and
 * container port names at most 15 characters.
 */
public final class NameCheck implements Check {

    private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final Pattern SUBDOMAIN = Pattern.compile(LABEL + "(\\." + LABEL + ")*");
    private static final Pattern DNS_LABEL = Pattern.compile(LABEL);
    private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    @Override
    public List<Problem> check(Manifests manifests) {
        List<Problem> problems = new ArrayList<>();
        for (Object resource : manifests.resources()) {
            String name = Manifests.metadata(resource).getName();
            boolean hostName = resource instanceof Service || resource instanceof Namespace;
            if (hostName && (name.length() > 63 || !DNS_LABEL.matcher(name).matches())) {
                problems.add(new Problem(Manifests.describe(resource), "name '" + name
                        + "' must be a DNS label: at most 63 lowercase letters, digits and '-'"));
            } else if (name.length() > 253 || !SUBDOMAIN.matcher(name).matches()) {
                problems.add(new Problem(Manifests.describe(resource), "name '" + name
                        + "' must be a DNS subdomain: lowercase letters, digits, '-' and '.'"));
            }
        }
        for (Workload workload : Workload.all(manifests)) {
            workload.containers().forEach(container -> {
                for (ContainerPort port : Workload.nonNull(container.getPorts())) {
                    String name = port.getName();
                    if (name != null && (name.length() > 15 || !PORT_NAME.matcher(name).matches()
                            || !name.matches(".*[a-z].*"))) {
                        problems.add(new Problem(workload.describe(), "container " + container.getName()
                                + " port name '" + name + "' must be at most 15 lowercase letters, digits and '-'"));
                    }
                }
            });
        }
        return problems;
    }
}
