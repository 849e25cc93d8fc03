package dev.anvil.k8s.check;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.Objects;

/** Port references (a number or a port name) against the ports a container declares. */
final class Ports {

    private Ports() {}

    static boolean declares(Container container, IntOrString port) {
        return Workload.nonNull(container.getPorts()).stream().anyMatch(declared -> is(declared, port));
    }

    private static boolean is(ContainerPort declared, IntOrString port) {
        if (port.getIntVal() != null) {
            return Objects.equals(declared.getContainerPort(), port.getIntVal());
        }
        return Objects.equals(declared.getName(), port.getStrVal());
    }

    static String text(IntOrString port) {
        return port == null ? "(none)" : port.getIntVal() != null ? port.getIntVal().toString() : port.getStrVal();
    }
}
