package dev.anvil.dataset.ingest;

/** One record as read from an upload: either a conversation or the reason it could not be read. */
public sealed interface IngestedRecord {
    /** 1-based line of the record in the upload (its first line for CSV records and JSON array elements). */
    long line();

    record Parsed(long line, Conversation conversation) implements IngestedRecord {
    }

    record Unreadable(long line, Problem problem, String detail) implements IngestedRecord {
    }

    enum Problem {
        /** Not JSON/CSV, not UTF-8, or not one of the supported record shapes. */
        MALFORMED,
        /** A line with nothing but whitespace. */
        BLANK
    }
}
