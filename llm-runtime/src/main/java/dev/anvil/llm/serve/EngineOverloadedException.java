package dev.anvil.llm.serve;

/** The engine's queue is full: the request is refused at once rather than left waiting (the gateway answers 429). */
public final class EngineOverloadedException extends RuntimeException {
    private final int capacity;

    public EngineOverloadedException(String engine, int capacity) {
        super("model '" + engine + "' has " + capacity + " requests waiting, its limit; retry shortly");
        this.capacity = capacity;
    }

    public int capacity() {
        return capacity;
    }
}
