package dev.anvil.events.datadir;

/**
 * A name that cannot be a folder of the data directory, or a path that would leave it. The message names the field
 * and quotes the value escaped; a service answers it as a client fault.
 */
public class InvalidDataNameException extends IllegalArgumentException {
    public InvalidDataNameException(String message) {
        super(message);
    }
}
