package dev.anvil.k8s.check;

import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.manifest.Problem;
import dev.anvil.k8s.strimzi.StrimziResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Namespaced;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** When the set declares its Namespaces, every namespaced resource must be in one of them (and have one). */
public final class NamespaceCheck implements Check {

    @Override
    public List<Problem> check(Manifests manifests) {
        Set<String> declared = manifests.all(Namespace.class).stream()
                .map(ns -> ns.getMetadata().getName()).collect(Collectors.toSet());
        List<Problem> problems = new ArrayList<>();
        if (declared.isEmpty()) {
            return problems;
        }
        for (Object resource : manifests.resources()) {
            if (resource instanceof Namespace || !isNamespaced(resource)) {
                continue;
            }
            String namespace = Manifests.metadata(resource).getNamespace();
            if (!declared.contains(namespace)) {
                problems.add(new Problem(Manifests.describe(resource), "namespace " + namespace
                        + " is not one of the declared Namespaces " + declared));
            }
        }
        return problems;
    }

    private static boolean isNamespaced(Object resource) {
        // fabric8 marks namespaced kinds; Strimzi's are all namespaced.
        return resource instanceof Namespaced || resource instanceof StrimziResource;
    }
}
