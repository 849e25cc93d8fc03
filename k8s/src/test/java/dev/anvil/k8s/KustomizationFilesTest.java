package dev.anvil.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anvil.k8s.check.ManifestValidator;
import dev.anvil.k8s.manifest.Document;
import dev.anvil.k8s.manifest.ManifestParser;
import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.manifest.Problem;
import dev.anvil.k8s.manifest.Yaml;
import dev.anvil.k8s.render.KustomizationFiles;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Validates the base without kubectl, so that a machine without it still checks every manifest file, and proves
 * this reader renders the base exactly as kustomize does wherever kubectl is there to compare.
 */
class KustomizationFilesTest {

    @Test
    void baseReadWithoutKubectlIsValidAndHonoursTheContract() {
        Manifests base = ManifestParser.parse(KustomizationFiles.read(ManifestSources.k8sDir().resolve("base")));

        List<Problem> problems = ManifestValidator.validate(base);

        assertEquals(List.of(), problems, () -> "base has problems:\n"
                + problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        AnvilContract.assertHonouredBy(base, "anvil");
    }

    @Test
    void readsTheBaseExactlyAsKustomizeRendersIt() {
        Map<String, JsonNode> rendered = byId(Yaml.documents(ManifestSources.render("base"), "base"));
        Map<String, JsonNode> read = byId(KustomizationFiles.read(ManifestSources.k8sDir().resolve("base")));

        assertEquals(rendered.keySet(), read.keySet());
        // JsonNode equality ignores key order, which is all kustomize changes.
        rendered.forEach((id, node) -> assertEquals(node, read.get(id), id));
    }

    private static Map<String, JsonNode> byId(List<Document> documents) {
        Map<String, JsonNode> byId = new TreeMap<>();
        for (Document document : documents) {
            JsonNode node = document.content();
            byId.put(node.path("kind").asText() + " " + node.path("metadata").path("name").asText(), node);
        }
        return byId;
    }

    @Test
    void refusesOverlaysRatherThanIgnoringTheirPatches() {
        var refused = assertThrows(UnsupportedOperationException.class,
                () -> KustomizationFiles.read(ManifestSources.k8sDir().resolve("overlays/dev")));
        assertTrue(refused.getMessage().contains("'patches'"), refused.getMessage());
    }
}
