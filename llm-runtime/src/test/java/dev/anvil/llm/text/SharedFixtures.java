package dev.anvil.llm.text;

import java.nio.file.Files;
import java.nio.file.Path;

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
}
