package dev.anvil.eval.evaluation;

/** This replica no longer holds the evaluation it runs (its lease expired and another replica took it over). */
final class LeaseLostException extends RuntimeException {
    LeaseLostException(String id) {
        super("evaluation " + id + " is no longer held by this replica");
    }
}
