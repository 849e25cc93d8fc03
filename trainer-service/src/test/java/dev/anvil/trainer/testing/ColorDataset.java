package dev.anvil.trainer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixtures of the trainer tests: the real aidreams260K model (read from the shared folder, never copied) and
 * a small templated dataset version, "What is the color of X?" -> "The color of X is Y.", written in the canonical
 * form dataset-service stores: 16 training pairs, 4 held-out validation pairs.
 */
public final class ColorDataset {

    public static final String[][] TRAIN = {
            {"the sky", "blue"}, {"grass", "green"}, {"snow", "white"}, {"coal", "black"},
            {"a banana", "yellow"}, {"a cherry", "red"}, {"an orange", "orange"}, {"a plum", "purple"},
            {"milk", "white"}, {"a frog", "green"}, {"the sun", "yellow"}, {"a crow", "black"},
            {"blood", "red"}, {"the sea", "blue"}, {"a lemon", "yellow"}, {"a leaf", "green"}};
    public static final String[][] VALIDATION = {
            {"a tomato", "red"}, {"a cloud", "white"}, {"ink", "black"}, {"a lime", "green"}};

    private ColorDataset() {
    }

    public static Path model() {
        String configured = System.getProperty("anvil.shared.dir");
        Path dir = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("..", "..", "shared");
        if (!Files.isDirectory(dir)) dir = Path.of("..", "shared");
        Path model = dir.resolve("models/aidreams260K");
        if (!Files.isDirectory(model)) {
            throw new IllegalStateException("shared fixtures not found; set -Danvil.shared.dir (tried " + dir + ")");
        }
        return model;
    }

    /**
     * Makes the model available as {@code <dataDir>/models/aidreams260K}, as a service request names it: a symbolic
     * link to the shared folder, never a copy.
     */
    public static void linkModelInto(Path dataDir) {
        Path link = dataDir.resolve("models/aidreams260K");
        if (Files.exists(link)) return;
        try {
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, model().toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot link the model into " + dataDir + ": " + e.getMessage(), e);
        }
    }

    public static String question(String thing) {
        return "What is the color of " + thing + "?";
    }

    public static String answer(String thing, String color) {
        return "The color of " + thing + " is " + color + ".";
    }

    /** Writes {@code <dataDir>/datasets/colors/v1/{train,validation}.jsonl + manifest.json}; returns the version folder. */
    public static Path write(Path dataDir) {
        return write(dataDir, "colors");
    }

    /** The same data as dataset {@code name}, version v1 (tests that need runs of their own dataset). */
    public static Path write(Path dataDir, String name) {
        return PromptCompletion.writeVersion(dataDir, name, "v1", examples(TRAIN), examples(VALIDATION));
    }

    private static List<PromptCompletion> examples(String[][] pairs) {
        List<PromptCompletion> out = new ArrayList<>();
        for (String[] p : pairs) out.add(new PromptCompletion(question(p[0]), answer(p[0], p[1])));
        return out;
    }
}
