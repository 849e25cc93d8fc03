package dev.anvil.llm.data;

import java.util.Arrays;
import java.util.Locale;

/** Which tokens of a conversation the loss is computed on. */
public enum LossOn {
    /** Only the assistant's replies (and their end token): the model is not taught to write the user's prompts. */
    ASSISTANT,
    /** Every token (continued pre-training on conversations). */
    ALL;

    public static LossOn fromName(String name) {
        return Arrays.stream(values()).filter(v -> v.name().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("lossOn '" + name + "' is not one of "
                        + Arrays.stream(values()).map(v -> v.name().toLowerCase(Locale.ROOT)).toList()));
    }
}
