package dev.anvil.dataset.clean;

/**
 * A removed input record: its 1-based line number in the upload (the record's first line for CSV and JSON arrays),
 * the rule that removed it and a human-readable detail.
 */
public record Rejection(long line, String reason, String detail) {
    public static final String MALFORMED = "malformed";
    public static final String EMPTY = "empty";
    public static final String TOO_LONG = "too_long";
    public static final String DUPLICATE = "duplicate";
    public static final String NEAR_DUPLICATE = "near_duplicate";
    public static final String UNSAFE = "unsafe";
    public static final String CONFLICT = "conflict";
}
