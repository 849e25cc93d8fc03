package dev.anvil.gateway.live;

/** How a served request ended, once its version was resolved. */
public enum Outcome {
    /** The whole answer, or the stream to its end. */
    ANSWERED,
    /** The gateway's fault: the engine failed (5xx) or the request ran past its time limit. */
    FAILED,
    /** The client left before the end: neither an error nor a latency worth measuring. */
    CLIENT_GONE
}
