package dev.anvil.dataset.ingest;

/** The shape a record had in the uploaded file; detected per record and kept for stratified splits and stats. */
public enum SourceFormat {
    /** {@code {"messages":[{"role","content"}]}} */
    OPENAI_CHAT,
    /** {@code {"conversations":[{"from","value"}]}} */
    SHAREGPT,
    /** {@code {"prompt","completion"}} */
    PROMPT_COMPLETION,
    /** {@code {"instruction","input","output"}} */
    ALPACA,
    /** {@code {"instruction","response"}} */
    INSTRUCTION_RESPONSE,
    /** {@code {"text"}} */
    TEXT;

    /** The name used in canonical records and reports, e.g. {@code alpaca}, {@code openai_chat}. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The format named by {@link #id()}. */
    public static SourceFormat fromId(String id) {
        return valueOf(id.toUpperCase(java.util.Locale.ROOT));
    }
}
