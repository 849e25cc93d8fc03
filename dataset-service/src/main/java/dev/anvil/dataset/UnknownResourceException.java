package dev.anvil.dataset;

/** A dataset or version that does not exist. */
public class UnknownResourceException extends RuntimeException {
    public UnknownResourceException(String message) {
        super(message);
    }
}
