package dev.anvil.events.datadir;

import dev.anvil.events.Require;

import java.util.regex.Pattern;

/**
 * The one rule for every name that becomes a folder of the data directory: dataset names, version ids, job ids and
 * model names. 1-128 characters of ASCII letters, digits, {@code .}, {@code _} and {@code -}, starting with a letter
 * or digit. So a name is never empty, {@code .} or {@code ..}, never hidden, never holds a separator, a drive letter
 * or a control character, and stays far below the file systems' 255-byte limit on a folder name. Every name either
 * service made before the rule was shared fits it (the dataset-service's lowercase up to 64, the trainer's mixed
 * case up to 128, the 64-hex version ids).
 */
public final class DataNames {

    public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";
    public static final int MAX_LENGTH = 128;
    /** What {@link #PATTERN} says, in words, for messages. */
    public static final String RULE = "1-" + MAX_LENGTH
            + " letters, digits, '.', '_' or '-', starting with a letter or digit";
    private static final Pattern NAME = Pattern.compile(PATTERN);
    /** Longer names are cut in messages: a message repeats what it refuses, not megabytes of it. */
    private static final int SHOWN_CHARS = 80;

    private DataNames() {
    }

    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** {@code name} when it follows the rule; otherwise an {@link InvalidDataNameException} naming {@code field}. */
    public static String require(String name, String field) {
        if (!isValid(name)) {
            throw new InvalidDataNameException(field + " " + Require.quote(abbreviate(name)) + " must match "
                    + PATTERN + " (" + RULE + ")");
        }
        return name;
    }

    private static String abbreviate(String name) {
        if (name == null) return null;
        return name.length() <= SHOWN_CHARS ? name : name.substring(0, SHOWN_CHARS) + "...";
    }
}
