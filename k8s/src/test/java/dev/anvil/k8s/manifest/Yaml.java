package dev.anvil.k8s.manifest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Reading multi-document YAML, and the one strict mapper every typed read goes through. */
public final class Yaml {

    /** A key given twice in one mapping is a mistake (only the last would count), not something to pass over. */
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    /**
     * Unknown properties fail the read; fabric8's model classes catch them in additionalProperties instead, which
     * {@link StrictFields} then reports.
     */
    public static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private Yaml() {}

    /** The non-empty documents of a "---"-separated YAML stream, each named "origin#n" (1-based). */
    public static List<Document> documents(String yaml, String origin) {
        List<Document> documents = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(yaml)) {
            var nodes = YAML.readValues(parser, JsonNode.class);
            int index = 0;
            while (nodes.hasNextValue()) {
                JsonNode node = nodes.nextValue();
                index++;
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    documents.add(new Document(origin + "#" + index, node));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read YAML of " + origin + ": " + e.getMessage(), e);
        }
        return documents;
    }

    public static JsonNode tree(String yaml, String origin) {
        List<Document> documents = documents(yaml, origin);
        if (documents.size() != 1) {
            throw new IllegalArgumentException(origin + " must hold one YAML document, found " + documents.size());
        }
        return documents.get(0).content();
    }
}
