package dev.anvil.dataset.version;

import dev.anvil.dataset.InvalidInputException;
import dev.anvil.events.datadir.DataNames;
import dev.anvil.events.datadir.InvalidDataNameException;

import java.util.regex.Pattern;

/**
 * Dataset names follow the data directory's one name rule ({@link DataNames}); version ids are content addresses,
 * 64 hex digits ({@link ContentAddress}), a shape the rule accepts.
 */
public final class DatasetNames {

    private static final Pattern VERSION = Pattern.compile("[0-9a-f]{64}");

    private DatasetNames() {
    }

    /** The name itself when valid; otherwise a client error saying what a name may be. */
    public static String requireValidName(String name) {
        try {
            return DataNames.require(name, "dataset name");
        } catch (InvalidDataNameException e) {
            throw new InvalidInputException("invalid " + e.getMessage());
        }
    }

    /** Whether {@code version} has the shape of a version id (64 hex digits); others can exist nowhere. */
    public static boolean isVersionId(String version) {
        return version != null && VERSION.matcher(version).matches();
    }
}
