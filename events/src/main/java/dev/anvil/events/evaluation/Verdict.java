package dev.anvil.events.evaluation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.anvil.events.InvalidEventException;

import java.util.Locale;

/** Whether an evaluated version may be promoted. */
public enum Verdict {
    PASS, FAIL;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Verdict fromWire(String value) {
        for (Verdict v : values()) {
            if (v.wireName().equalsIgnoreCase(value)) {
                return v;
            }
        }
        throw new InvalidEventException("unknown verdict '" + value + "', expected pass or fail");
    }
}
