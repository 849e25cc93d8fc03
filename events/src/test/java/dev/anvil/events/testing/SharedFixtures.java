package dev.anvil.events.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The read-only fixtures every module's tests share, beside the checkout ({@code ../shared}, or the system property
 * {@code anvil.shared.dir} the build sets): the real test model and the golden outputs of the Python reference
 * implementations. Tests link them into their data directories; they never copy them.
 */
public final class SharedFixtures {
    /** The real pretrained tiny Llama the tests and the main command run. */
    public static final String MODEL = "aidreams260K";

    private SharedFixtures() {
    }

    public static Path sharedDir() {
        return Path.of(System.getProperty("anvil.shared.dir", "../../shared")).toAbsolutePath().normalize();
    }

    /** {@code models/aidreams260K}, checked to be there. */
    public static Path model() {
        Path model = sharedDir().resolve("models").resolve(MODEL);
        if (!Files.isRegularFile(model.resolve("config.json"))) {
            throw new IllegalStateException("the test model is missing: " + model);
        }
        return model;
    }

    /** Links the golden adapter (never a copy) at {@code relative} under {@code dataDir}; returns the link. */
    public static Path linkGoldenAdapter(Path dataDir, String relative) {
        try {
            Path link = dataDir.resolve(relative);
            Files.createDirectories(link.getParent());
            return Files.createSymbolicLink(link, goldenAdapter());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The PEFT LoRA adapter of aidreams260K trained with PEFT itself (golden/peft-lora-aidreams260K). */
    public static Path goldenAdapter() {
        return sharedDir().resolve("golden").resolve("peft-lora-aidreams260K");
    }
}
