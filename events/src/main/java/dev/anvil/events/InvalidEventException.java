package dev.anvil.events;

/** A message that does not follow the contract: unparseable JSON, an unknown type, a missing required field. */
public class InvalidEventException extends RuntimeException {
    public InvalidEventException(String message) {
        super(message);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
