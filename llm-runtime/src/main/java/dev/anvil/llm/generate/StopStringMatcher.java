package dev.anvil.llm.generate;

import java.util.List;

/**
 * Finds stop strings in streamed text. Text that could still become the start of a stop string is held back, so
 * a client never sees the first half of a stop string that the next token completes; the stop string itself is
 * never emitted.
 *
 * <p>Not thread-safe: one per generated sequence.
 */
public final class StopStringMatcher {
    /** What may be shown now, and whether generation must end. */
    public record Result(String text, boolean stopped) {
    }

    private final List<String> stops;
    private final StringBuilder pending = new StringBuilder();
    private boolean stopped;

    public StopStringMatcher(List<String> stops) {
        for (String stop : stops) {
            if (stop == null || stop.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty");
            }
        }
        this.stops = List.copyOf(stops);
    }

    /** Feeds the next piece of text (a streaming detokenizer delta). After a stop, everything is ignored. */
    public Result accept(String delta) {
        if (stopped) {
            return new Result("", true);
        }
        pending.append(delta);
        int earliest = -1;
        for (String stop : stops) {
            int at = pending.indexOf(stop);
            if (at >= 0 && (earliest < 0 || at < earliest)) {
                earliest = at;
            }
        }
        if (earliest >= 0) {
            stopped = true;
            String text = pending.substring(0, earliest);
            pending.setLength(0);
            return new Result(text, true);
        }
        int hold = longestSuffixStartingAStop();
        String text = pending.substring(0, pending.length() - hold);
        pending.delete(0, pending.length() - hold);
        return new Result(text, false);
    }

    /** The held-back text, once generation has ended for another reason (EOS, max tokens). */
    public String flush() {
        String text = stopped ? "" : pending.toString();
        pending.setLength(0);
        return text;
    }

    public boolean stopped() {
        return stopped;
    }

    /** Length of the longest suffix of the pending text that is a proper prefix of some stop string. */
    private int longestSuffixStartingAStop() {
        int best = 0;
        String text = pending.toString();
        for (String stop : stops) {
            for (int n = Math.min(stop.length() - 1, pending.length()); n > best; n--) {
                if (text.regionMatches(text.length() - n, stop, 0, n)) {
                    best = n;
                    break;
                }
            }
        }
        return best;
    }
}
