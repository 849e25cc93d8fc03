package dev.anvil.service.http;

import dev.anvil.events.Require;

/**
 * Client-supplied text made safe for a log line or an error message: control characters escaped (a NUL or a
 * newline in a name must not forge or break log lines) and the length bounded.
 */
public final class SafeText {
    private static final int MAX_LENGTH = 200;

    private SafeText() {
    }

    public static String of(String text) {
        if (text == null) return "null";
        String escaped = Require.escape(text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH) : text);
        return text.length() > MAX_LENGTH ? escaped + "..." : escaped;
    }
}
