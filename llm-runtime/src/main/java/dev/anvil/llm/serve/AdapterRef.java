package dev.anvil.llm.serve;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A LoRA adapter to run a request with: its name (unique per engine; the gateway uses the version id) and its PEFT
 * directory, read the first time the name is used.
 */
public record AdapterRef(String name, Path dir) {
    public AdapterRef {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("adapter name is required");
        Objects.requireNonNull(dir, "adapter dir");
    }
}
