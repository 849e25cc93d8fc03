package dev.anvil.k8s.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads documents into typed resources. A kind with no typed model, a field the model does not know and a value of
 * the wrong type are each a {@link Problem}, so one run reports every mistake rather than the first.
 */
public final class ManifestParser {

    private ManifestParser() {}

    public static Manifests parse(String yaml, String origin) {
        return parse(Yaml.documents(yaml, origin));
    }

    public static Manifests parse(List<Document> documents) {
        List<Object> resources = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Document document : documents) {
            Object resource = read(document, problems);
            if (resource == null) {
                continue;
            }
            String id = Manifests.describe(resource);
            if (!seen.add(id)) {
                problems.add(new Problem(id, "declared twice (" + document.origin() + ")"));
            }
            List<String> unknown = StrictFields.unknownFields(resource);
            if (!unknown.isEmpty()) {
                problems.add(new Problem(id, "unknown field(s) " + String.join(", ", unknown)
                        + " (misspelled, or at the wrong level)"));
            }
            resources.add(resource);
        }
        return new Manifests(resources, problems);
    }

    private static Object read(Document document, List<Problem> problems) {
        JsonNode node = document.content();
        String apiVersion = node.path("apiVersion").asText(null);
        String kind = node.path("kind").asText(null);
        String name = node.path("metadata").path("name").asText(null);
        String where = kind + " " + name + " (" + document.origin() + ")";
        if (apiVersion == null || kind == null || name == null) {
            problems.add(new Problem(document.origin(), "apiVersion, kind and metadata.name are all required"));
            return null;
        }
        try {
            Class<? extends CustomResource> custom = CustomResource.typeOf(apiVersion, kind);
            if (custom != null) {
                return Yaml.STRICT.treeToValue(node, custom);
            }
            KubernetesResource resource = Yaml.STRICT.treeToValue(node, KubernetesResource.class);
            if (resource instanceof GenericKubernetesResource) {
                problems.add(new Problem(where, "no typed model for apiVersion " + apiVersion + " kind " + kind
                        + ": an unknown kind, or a kind under the wrong apiVersion"));
                return null;
            }
            return resource;
        } catch (UnrecognizedPropertyException e) {
            problems.add(new Problem(where, "unknown field " + path(e) + " (misspelled, or at the wrong level)"));
        } catch (JsonMappingException e) {
            problems.add(new Problem(where, "wrong value at " + path(e) + ": " + e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            problems.add(new Problem(where, "unreadable: " + e.getOriginalMessage()));
        }
        return null;
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
