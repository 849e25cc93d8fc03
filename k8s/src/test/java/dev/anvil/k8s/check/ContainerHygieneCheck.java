package dev.anvil.k8s.check;

import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.manifest.Problem;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Secure and schedulable by default: every container has a pinned image, CPU and memory requests and a memory
 * limit, runs as non-root (and not as uid 0) with a read-only root filesystem under a seccomp profile, cannot escalate
 * privileges and drops all capabilities.
 */
public final class ContainerHygieneCheck implements Check {

    /** Seccomp profiles that filter system calls (Unconfined, the kubelet's default without one, does not). */
    private static final Set<String> CONFINED = Set.of("RuntimeDefault", "Localhost");

    @Override
    public List<Problem> check(Manifests manifests) {
        List<Problem> problems = new ArrayList<>();
        for (Workload workload : Workload.all(manifests)) {
            PodSecurityContext pod = workload.podSpec().getSecurityContext();
            workload.containers().forEach(container -> {
                for (String fault : faults(container, pod)) {
                    problems.add(new Problem(workload.describe(), "container " + container.getName() + " " + fault));
                }
            });
        }
        return problems;
    }

    private static List<String> faults(Container container, PodSecurityContext pod) {
        List<String> faults = new ArrayList<>();
        String image = container.getImage() == null ? "" : container.getImage();
        String tag = image.contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "";
        if (!image.contains("@") && (tag.isEmpty() || tag.contains("/") || tag.equals("latest"))) {
            faults.add("image '" + image + "' is not pinned to a version tag or digest");
        }
        var resources = container.getResources();
        Map<String, ?> requests = resources == null || resources.getRequests() == null ? Map.of() : resources.getRequests();
        Map<String, ?> limits = resources == null || resources.getLimits() == null ? Map.of() : resources.getLimits();
        if (!requests.containsKey("cpu") || !requests.containsKey("memory")) {
            faults.add("needs resources.requests for cpu and memory");
        }
        if (!limits.containsKey("memory")) {
            faults.add("needs resources.limits.memory");
        }
        SecurityContext own = container.getSecurityContext() == null ? new SecurityContext() : container.getSecurityContext();
        Boolean nonRoot = own.getRunAsNonRoot() != null ? own.getRunAsNonRoot() : pod == null ? null : pod.getRunAsNonRoot();
        if (!Boolean.TRUE.equals(nonRoot)) {
            faults.add("must set runAsNonRoot: true (pod or container securityContext)");
        }
        Long user = own.getRunAsUser() != null ? own.getRunAsUser() : pod == null ? null : pod.getRunAsUser();
        if (user != null && user == 0) {
            faults.add("runs as root (runAsUser: 0)");
        }
        SeccompProfile seccomp = own.getSeccompProfile() != null ? own.getSeccompProfile()
                : pod == null ? null : pod.getSeccompProfile();
        if (seccomp == null || !CONFINED.contains(seccomp.getType())) {
            faults.add("must set seccompProfile.type RuntimeDefault (or Localhost), pod or container securityContext");
        }
        if (!Boolean.TRUE.equals(own.getReadOnlyRootFilesystem())) {
            faults.add("must set securityContext.readOnlyRootFilesystem: true (mount an emptyDir where it writes)");
        }
        if (!Boolean.FALSE.equals(own.getAllowPrivilegeEscalation())) {
            faults.add("must set securityContext.allowPrivilegeEscalation: false");
        }
        if (own.getCapabilities() == null || own.getCapabilities().getDrop() == null
                || !own.getCapabilities().getDrop().contains("ALL")) {
            faults.add("must drop all capabilities (securityContext.capabilities.drop: [ALL])");
        }
        return faults;
    }
}
