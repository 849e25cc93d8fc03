package dev.anvil.llm.generate;

/** Why a sequence stopped, with the names OpenAI's API and the gateway use. */
public enum FinishReason {
    /** A stop string appeared (the text is cut before it). */
    STOP("stop"),
    /** The request's max tokens were generated. */
    LENGTH("length"),
    /** The model produced its end-of-sequence token. */
    EOS("eos"),
    /** The caller cancelled the request while it ran (the client went away); the rest of its batch went on. */
    CANCELLED("cancelled"),
    /**
     * A content filter above the engine cut the text (the gateway's response filters); generation itself never ends
     * with it.
     */
    CONTENT_FILTER("content_filter");

    private final String wireName;

    FinishReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
