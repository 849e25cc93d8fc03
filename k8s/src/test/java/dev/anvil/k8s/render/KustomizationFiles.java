package dev.anvil.k8s.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anvil.k8s.manifest.Document;
import dev.anvil.k8s.manifest.Yaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a kustomization without kubectl: its {@code resources} (files, and folders with their own kustomization),
 * with {@code namespace} and {@code labels} applied as kustomize applies them. That is all the base uses, so the
 * base can be validated on a machine without kubectl. Any other field (patches, generators, ...) is refused by
 * name rather than silently ignored: overlays need the real kustomize.
 */
public final class KustomizationFiles {

    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "resources", "namespace", "labels");
    /** Kinds that live outside namespaces: the namespace transformer leaves them alone. */
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "PersistentVolume", "StorageClass",
            "ClusterRole", "ClusterRoleBinding", "PriorityClass", "CustomResourceDefinition");
    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job");

    private KustomizationFiles() {}

    public static List<Document> read(Path kustomizationDir) {
        Path file = kustomizationDir.resolve("kustomization.yaml");
        JsonNode kustomization = Yaml.tree(readString(file), file.toString());
        for (var property : kustomization.properties()) {
            String field = property.getKey();
            if (!SUPPORTED.contains(field)) {
                throw new UnsupportedOperationException(file + ": field '" + field + "' needs the real kustomize"
                        + " (kubectl kustomize); this reader supports " + SUPPORTED);
            }
        }
        List<Document> documents = new ArrayList<>();
        for (JsonNode entry : kustomization.path("resources")) {
            Path resource = kustomizationDir.resolve(entry.asText()).normalize();
            if (Files.isDirectory(resource)) {
                documents.addAll(read(resource));
            } else {
                documents.addAll(Yaml.documents(readString(resource), resource.toString()));
            }
        }
        String namespace = kustomization.path("namespace").asText(null);
        if (namespace != null) {
            documents.forEach(document -> setNamespace((ObjectNode) document.content(), namespace));
        }
        for (JsonNode labels : kustomization.path("labels")) {
            if (labels.path("includeSelectors").asBoolean(false)) {
                throw new UnsupportedOperationException(file + ": labels with includeSelectors need the real kustomize");
            }
            boolean templates = labels.path("includeTemplates").asBoolean(false);
            documents.forEach(document -> addLabels((ObjectNode) document.content(), labels.path("pairs"), templates));
        }
        return documents;
    }

    private static void setNamespace(ObjectNode resource, String namespace) {
        String kind = resource.path("kind").asText();
        ObjectNode metadata = resource.withObjectProperty("metadata");
        if (kind.equals("Namespace")) {
            metadata.put("name", namespace);
        } else if (!CLUSTER_SCOPED.contains(kind)) {
            metadata.put("namespace", namespace);
        }
    }

    private static void addLabels(ObjectNode resource, JsonNode pairs, boolean includeTemplates) {
        putAll(resource.withObject("/metadata/labels"), pairs);
        if (includeTemplates && WORKLOADS.contains(resource.path("kind").asText())) {
            putAll(resource.withObject("/spec/template/metadata/labels"), pairs);
        }
        if (includeTemplates && resource.path("kind").asText().equals("StatefulSet")) {
            for (JsonNode claim : resource.path("spec").path("volumeClaimTemplates")) {
                putAll(((ObjectNode) claim).withObject("/metadata/labels"), pairs);
            }
        }
    }

    private static void putAll(ObjectNode target, JsonNode pairs) {
        pairs.properties().forEach(pair -> target.set(pair.getKey(), pair.getValue()));
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
