package dev.anvil.llm.serve;

/**
 * Receives a request's deltas, on the engine's decode thread: it must hand them on and return at once (a slow sink
 * stalls every request of the batch). A sink that throws is treated as a client gone: its request is cancelled.
 */
public interface DeltaSink {

    void onDelta(Delta delta);

    /** The request could not be served (its adapter failed to load, the engine failed); no delta follows. */
    void onError(Throwable error);
}
