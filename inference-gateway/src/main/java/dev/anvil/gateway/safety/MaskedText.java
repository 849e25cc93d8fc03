package dev.anvil.gateway.safety;

import java.util.List;
import java.util.TreeMap;

/** A text being written with its findings masked, up to a filter's finding that cuts it; counts what it masked. */
final class MaskedText {
    private final StringBuilder text = new StringBuilder();
    private final TreeMap<String, Integer> counts = new TreeMap<>();
    private boolean cut;

    /**
     * Appends {@code source[from, to)} with the findings that lie in it masked; a filter's finding that starts in it
     * or at {@code to} cuts the text there, and nothing is appended afterwards. {@code findings}: in text order, none
     * starting before {@code from}.
     */
    void append(String source, int from, int to, List<Finding> findings) {
        if (cut) return;
        int at = from;
        for (Finding f : findings) {
            if (f.cuts() && f.start() <= to) {
                text.append(source, at, f.start());
                cut = true;
                return;
            }
            if (f.end() > to) break;
            text.append(source, at, f.start()).append(f.mask());
            counts.merge(f.kind(), 1, Integer::sum);
            at = f.end();
        }
        text.append(source, at, to);
    }

    int length() {
        return text.length();
    }

    String since(int start) {
        return text.substring(start);
    }

    boolean cut() {
        return cut;
    }

    Redaction result() {
        return new Redaction(text.toString(), counts, cut);
    }
}
