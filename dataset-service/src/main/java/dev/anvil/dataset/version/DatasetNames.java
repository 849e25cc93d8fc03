package dev.anvil.dataset.version;

import dev.anvil.dataset.InvalidInputException;

import java.util.regex.Pattern;

/** Dataset names and version ids are path segments on disk: both are confined to safe alphabets. */
public final class DatasetNames {

    public static final String NAME_PATTERN = "[a-z0-9][a-z0-9._-]{0,63}";
    private static final Pattern NAME = Pattern.compile(NAME_PATTERN);
    private static final Pattern VERSION = Pattern.compile("[0-9a-f]{64}");

    private DatasetNames() {
    }

    /** The name itself when valid; otherwise an error saying what a name may be. */
    public static String requireValidName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException("invalid dataset name '" + abbreviate(name)
                    + "': a name is 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }

    /** Whether {@code version} has the shape of a version id (64 hex digits); others can exist nowhere. */
    public static boolean isVersionId(String version) {
        return version != null && VERSION.matcher(version).matches();
    }

    private static String abbreviate(String name) {
        if (name == null) {
            return "";
        }
        return name.length() <= 80 ? name : name.substring(0, 80) + "...";
    }
}
