package dev.anvil.events;

import java.util.Collection;

/** Checks of required fields, used in the records' constructors so that a bad message fails where it is read. */
public final class Require {
    private Require() {
    }

    public static <T> T present(T value, String field) {
        if (value == null) {
            throw new InvalidEventException("missing required field '" + field + "'");
        }
        if (value instanceof String s && s.isBlank()) {
            throw new InvalidEventException("required field '" + field + "' is blank");
        }
        return value;
    }

    public static <T extends Collection<?>> T notEmpty(T value, String field) {
        present(value, field);
        if (value.isEmpty()) {
            throw new InvalidEventException("required field '" + field + "' is empty");
        }
        return value;
    }

    public static long nonNegative(long value, String field) {
        if (value < 0) {
            throw new InvalidEventException("field '" + field + "' must not be negative, got " + value);
        }
        return value;
    }
}
