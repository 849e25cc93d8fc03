package dev.anvil.llm.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The read-only model files and golden outputs beside the checkout (never copied into the repository). */
final class SharedFixtures {
    private SharedFixtures() {
    }

    static Path sharedDir() {
        String configured = System.getProperty("anvil.shared.dir");
        Path dir = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("..", "..", "shared");
        if (!Files.isDirectory(dir)) {
            dir = Path.of("..", "shared"); // running from the repository root
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("shared fixtures not found; set -Danvil.shared.dir (tried " + dir.toAbsolutePath() + ")");
        }
        return dir;
    }

    static Path aidreams() {
        return sharedDir().resolve("models/aidreams260K");
    }

    /** golden/tokenizer_cases.json: text, ids (BOS added) and decoded text, from Hugging Face tokenizers. */
    static List<JsonNode> tokenizerCases() {
        try {
            List<JsonNode> cases = new ArrayList<>();
            new ObjectMapper().readTree(sharedDir().resolve("golden/tokenizer_cases.json").toFile()).forEach(cases::add);
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
