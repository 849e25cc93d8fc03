package dev.anvil.trainer.job;

/** A request that cannot run; the message says which field is wrong and why. */
public class InvalidJobException extends RuntimeException {
    public InvalidJobException(String message) {
        super(message);
    }
}
