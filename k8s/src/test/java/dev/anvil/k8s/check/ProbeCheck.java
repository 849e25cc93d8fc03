package dev.anvil.k8s.check;

import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.manifest.Problem;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Probes must hit a port the container declares. Anvil's services are Quarkus applications whose SmallRye Health
 * endpoints are fixed, so each of their containers needs all three HTTP probes on exactly those paths: a probe on
 * /q/health/ready used as liveness would restart a pod whenever Kafka is briefly away.
 */
public final class ProbeCheck implements Check {

    /** Images built from this repository: the Quarkus services. */
    public static final String ANVIL_IMAGE_PREFIX = "anvil/";

    static final String LIVENESS = "livenessProbe";
    static final String READINESS = "readinessProbe";
    static final String STARTUP = "startupProbe";
    private static final Map<String, String> QUARKUS_PATHS = Map.of(
            LIVENESS, "/q/health/live", READINESS, "/q/health/ready", STARTUP, "/q/health/started");

    @Override
    public List<Problem> check(Manifests manifests) {
        List<Problem> problems = new ArrayList<>();
        for (Workload workload : Workload.all(manifests)) {
            workload.containers().forEach(container -> checkContainer(workload, container, problems));
        }
        return problems;
    }

    private static void checkContainer(Workload workload, Container container, List<Problem> problems) {
        String where = workload.describe();
        boolean quarkus = container.getImage() != null && container.getImage().startsWith(ANVIL_IMAGE_PREFIX);
        probes(container).forEach((kind, probe) -> {
            String at = "container " + container.getName() + " " + kind;
            if (probe == null) {
                if (quarkus) {
                    problems.add(new Problem(where, at + " is missing; a Quarkus service needs an httpGet on "
                            + QUARKUS_PATHS.get(kind)));
                }
                return;
            }
            IntOrString port = port(probe);
            if (port != null && !Ports.declares(container, port)) {
                problems.add(new Problem(where, at + " uses port " + Ports.text(port)
                        + ", which the container does not declare"));
            }
            String path = probe.getHttpGet() == null ? null : probe.getHttpGet().getPath();
            boolean healthPath = path != null && path.startsWith("/q/health");
            if ((quarkus || healthPath) && !QUARKUS_PATHS.get(kind).equals(path)) {
                problems.add(new Problem(where, at + " must be an httpGet on " + QUARKUS_PATHS.get(kind)
                        + ", not " + (path == null ? "a non-HTTP probe" : path)));
            }
        });
    }

    private static Map<String, Probe> probes(Container container) {
        Map<String, Probe> probes = new LinkedHashMap<>();
        probes.put(STARTUP, container.getStartupProbe());
        probes.put(LIVENESS, container.getLivenessProbe());
        probes.put(READINESS, container.getReadinessProbe());
        return probes;
    }

    private static IntOrString port(Probe probe) {
        if (probe.getHttpGet() != null) {
            return probe.getHttpGet().getPort();
        }
        if (probe.getTcpSocket() != null) {
            return probe.getTcpSocket().getPort();
        }
        return probe.getGrpc() != null ? new IntOrString(probe.getGrpc().getPort()) : null;
    }
}
