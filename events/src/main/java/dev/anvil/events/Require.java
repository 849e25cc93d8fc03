package dev.anvil.events;

import dev.anvil.events.datadir.DataNames;
import dev.anvil.events.datadir.InvalidDataNameException;

import java.util.Collection;
import java.util.Locale;

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

    /**
     * A required text that names something (an id, a model, a dataset): present, and without control characters.
     * Such names become folder names, paths and log lines; a control character in one is never meant, and printed
     * raw it would garble or forge log lines.
     */
    public static String name(String value, String field) {
        return printable(present(value, field), field);
    }

    /**
     * A {@link #name} of at most {@code maxLength} characters: the consumers keep such names in bounded columns,
     * and a name too long to keep must be refused where it is read, not where it is stored.
     */
    public static String name(String value, String field, int maxLength) {
        name(value, field);
        if (value.length() > maxLength) {
            throw new InvalidEventException(String.format(Locale.ROOT,
                    "field '%s' must be at most %d characters long, got %d", field, maxLength, value.length()));
        }
        return value;
    }

    /**
     * An optional name ({@code null} passes) under {@link DataNames}' rule, such as a route of the gateway: the
     * services keep such names as folder names or keys, so one that breaks the rule is refused where it is read.
     */
    public static String optionalDataName(String value, String field) {
        if (value == null) return null;
        try {
            return DataNames.require(value, field);
        } catch (InvalidDataNameException e) {
            throw new InvalidEventException(e.getMessage(), e);
        }
    }

    /** An optional text ({@code null} passes) without control characters, for the same reasons as {@link #name}. */
    public static String printable(String value, String field) {
        if (value == null) return null;
        for (int i = 0; i < value.length(); i += Character.charCount(value.codePointAt(i))) {
            int c = value.codePointAt(i);
            if (isControl(c)) {
                throw new InvalidEventException(String.format(Locale.ROOT,
                        "field '%s' must not contain control characters (U+%04X at index %d)", field, c, i));
            }
        }
        return value;
    }

    /** {@code value} in single quotes for a message, control characters escaped: messages end up in logs. */
    public static String quote(String value) {
        return value == null ? "null" : "'" + escape(value) + "'";
    }

    /** {@code text} with its control characters written as {@code \\uXXXX}, safe for a message or a log line. */
    public static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (isControl(c)) escaped.append(String.format(Locale.ROOT, "\\u%04X", c));
            else escaped.appendCodePoint(c);
        });
        return escaped.toString();
    }

    /** C0 and C1 controls, and the invisible ones that reorder or break lines (bidi overrides, U+2028). */
    private static boolean isControl(int c) {
        int type = Character.getType(c);
        return Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
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
