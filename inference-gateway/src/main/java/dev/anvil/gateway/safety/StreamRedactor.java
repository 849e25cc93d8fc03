package dev.anvil.gateway.safety;

import java.util.ArrayList;
import java.util.List;

/**
 * Redacts one choice's text as it streams in: each delta is added, and only text that no finding can still reach
 * goes out. The last {@code holdBack} characters wait for what follows, so that a term or a piece of personal data
 * split across deltas is found whole; what goes out, all of it together, is what {@link Redactor#redact} makes of the
 * whole text, for findings no longer than the window. A finding longer than the window (a pattern's long match) is
 * masked as far as it has come and its rest as it comes, so nothing of it leaks, though it may come out as two
 * masks. Not thread-safe: one per choice of one stream.
 */
final class StreamRedactor {
    private final Redactor redactor;
    private final int holdBack;
    /** The text not sent yet, after up to {@code holdBack} characters that were: the left context of a finding. */
    private final StringBuilder window = new StringBuilder();
    /** How much of {@link #window} went out already. */
    private int sent;
    /** Whether the last text that went out ended inside a finding longer than the window, which may go on. */
    private boolean continuing;
    private final MaskedText out = new MaskedText();

    StreamRedactor(Redactor redactor, int holdBack) {
        this.redactor = redactor;
        this.holdBack = holdBack;
    }

    /** Adds a delta; returns the text that can go out now (possibly empty). After a cut, takes nothing more. */
    String feed(String delta) {
        if (out.cut()) return "";
        window.append(delta);
        return window.length() - sent > holdBack ? emit(false) : "";
    }

    /** The choice has ended: returns the rest. */
    String finish() {
        return out.cut() ? "" : emit(true);
    }

    /** Whether a filter's finding cut the text: nothing more goes out. */
    boolean cut() {
        return out.cut();
    }

    /** All that went out, and what was masked. */
    Redaction result() {
        return out.result();
    }

    private String emit(boolean atEnd) {
        String text = window.toString();
        // The unsent text is searched as a search of the whole text would go on, unless a finding went out in part:
        // then from the window's start, so that its rest is found too.
        List<Finding> found = continuing ? unsent(redactor.find(text)) : redactor.find(text, sent);
        int limit = atEnd ? text.length() : beforeSurrogatePair(text, text.length() - holdBack);
        boolean inPart = false;
        for (Finding f : found) {
            // Settled: more text cannot change it, as the character after it is known (or there is none) or it is
            // longer than the window already.
            boolean settled = atEnd || f.end() < text.length() || f.start() < limit;
            if (f.cuts() && settled) {
                limit = f.start();
                break;
            }
            if (f.start() < limit && f.end() > limit) { // goes out whole, masked; if it may go on, in part
                limit = f.end();
                inPart = !atEnd && f.end() == text.length();
            }
        }
        int before = out.length();
        out.append(text, sent, limit, found);
        continuing = inPart;
        int keepFrom = Math.max(0, limit - holdBack); // the left context of what comes: a lookbehind, a word boundary
        window.delete(0, keepFrom);
        sent = limit - keepFrom;
        return out.since(before);
    }

    /** The findings that reach into the text not sent yet, cut to their unsent part. */
    private List<Finding> unsent(List<Finding> found) {
        List<Finding> out = new ArrayList<>(found.size());
        for (Finding f : found) {
            if (f.end() > sent) out.add(f.start() < sent ? f.from(sent) : f);
        }
        return out;
    }

    /** {@code limit}, moved back by one when it would part a surrogate pair (an emoji would come out broken). */
    private static int beforeSurrogatePair(String text, int limit) {
        return limit > 0 && Character.isHighSurrogate(text.charAt(limit - 1)) ? limit - 1 : limit;
    }
}
