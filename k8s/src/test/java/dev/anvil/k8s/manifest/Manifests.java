package dev.anvil.k8s.manifest;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed manifest set: every resource as a typed object (a fabric8 model class or a {@link CustomResource} record), plus the
 * problems met while reading them.
 */
public record Manifests(List<Object> resources, List<Problem> readProblems) {

    public Manifests {
        resources = List.copyOf(resources);
        readProblems = List.copyOf(readProblems);
    }

    public <T> List<T> all(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The resource of this type, namespace and name, if the set holds it. */
    public <T> Optional<T> find(Class<T> type, String namespace, String name) {
        return all(type).stream()
                .filter(r -> Objects.equals(metadata(r).getName(), name))
                .filter(r -> Objects.equals(metadata(r).getNamespace(), namespace))
                .findFirst();
    }

    public static ObjectMeta metadata(Object resource) {
        ObjectMeta meta;
        if (resource instanceof HasMetadata kube) {
            meta = kube.getMetadata();
        } else if (resource instanceof CustomResource custom) {
            meta = custom.metadata();
        } else {
            throw new IllegalArgumentException("not a resource: " + resource.getClass());
        }
        return meta == null ? new ObjectMeta() : meta;
    }

    public static String kind(Object resource) {
        if (resource instanceof HasMetadata kube) {
            return kube.getKind();
        }
        return resource instanceof CustomResource custom ? custom.kind() : resource.getClass().getSimpleName();
    }

    /** How problems name a resource: "Kind namespace/name". */
    public static String describe(Object resource) {
        ObjectMeta meta = metadata(resource);
        String namespace = meta.getNamespace() == null ? "" : meta.getNamespace() + "/";
        return kind(resource) + " " + namespace + meta.getName();
    }
}
