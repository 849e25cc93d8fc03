package dev.anvil.trainer.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A templated prompt -> completion dataset whose answers follow from the prompt alone: "What color is the red
 * ball?" -> "The ball is red." (both words copied, in the other order). Every colour and every object occurs in
 * training, but the validation pairs are combinations training never shows, so a model can only predict them by
 * having learnt the pattern, not by remembering answers: 30 training pairs, 6 held-out ones.
 */
public final class PatternDataset {

    public static final List<String> COLORS = List.of("red", "blue", "green", "white", "pink", "orange");
    public static final List<String> OBJECTS = List.of("ball", "car", "hat", "dog", "key", "fish");

    private PatternDataset() {
    }

    public static String question(String color, String object) {
        return "What color is the " + color + " " + object + "?";
    }

    public static String answer(String color, String object) {
        return "The " + object + " is " + color + ".";
    }

    /** The held-out {colour, object} combinations: one per colour and per object (a shifted diagonal of the grid). */
    public static List<String[]> heldOutPairs() {
        return pairs(true);
    }

    /** The training combinations: the rest of the 6 x 6 grid. */
    public static List<String[]> trainPairs() {
        return pairs(false);
    }

    private static List<String[]> pairs(boolean heldOut) {
        List<String[]> out = new ArrayList<>();
        for (int c = 0; c < COLORS.size(); c++) {
            for (int o = 0; o < OBJECTS.size(); o++) {
                if ((o == (c + 2) % OBJECTS.size()) == heldOut) out.add(new String[] {COLORS.get(c), OBJECTS.get(o)});
            }
        }
        return out;
    }

    /** Writes {@code <dataDir>/datasets/<name>/v1/}; returns the version folder. */
    public static Path write(Path dataDir, String name) {
        return PromptCompletion.writeVersion(dataDir, name, "v1", examples(trainPairs()), examples(heldOutPairs()));
    }

    private static List<PromptCompletion> examples(List<String[]> pairs) {
        return pairs.stream().map(p -> new PromptCompletion(question(p[0], p[1]), answer(p[0], p[1]))).toList();
    }
}
