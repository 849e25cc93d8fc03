package dev.anvil.dataset;

/** A request the service refuses as the client's mistake; the message names the field, line or limit at fault. */
public class InvalidInputException extends RuntimeException {
    public InvalidInputException(String message) {
        super(message);
    }
}
