package dev.anvil.events.training;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.anvil.events.InvalidEventException;
import dev.anvil.events.Require;

import java.util.Arrays;
import java.util.Locale;

/** How the base model is fine-tuned. */
public enum TrainingMethod {
    /** 4-bit NF4 frozen base with LoRA adapters (the QLoRA paper). */
    QLORA,
    /** Full-precision frozen base with LoRA adapters. */
    LORA,
    /** Every weight of the model is trained. */
    FULL;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static TrainingMethod fromWire(String value) {
        return Arrays.stream(values()).filter(m -> m.wireName().equalsIgnoreCase(value)).findFirst()
                .orElseThrow(() -> new InvalidEventException(
                        "unknown training method " + Require.quote(value) + ", expected one of qlora, lora, full"));
    }
}
