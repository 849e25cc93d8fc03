package dev.anvil.dataset.ingest;

/** The input broke a configured limit (line length, body size): the whole upload is refused, naming the limit. */
public class InputLimitExceededException extends RuntimeException {
    private final String limit;
    private final long value;

    public InputLimitExceededException(String limit, long value, String message) {
        super(message);
        this.limit = limit;
        this.value = value;
    }

    /** The configuration key of the limit, e.g. {@code anvil.dataset.max-line-bytes}, or the name of a fixed one. */
    public String limit() {
        return limit;
    }

    public long value() {
        return value;
    }
}
