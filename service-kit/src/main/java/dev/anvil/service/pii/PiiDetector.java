package dev.anvil.service.pii;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds one kind of personal data in a text. */
interface PiiDetector {
    /** A cheap test that rules the detector out for most texts before any regular expression runs. */
    boolean mayMatch(TextProfile profile);

    /**
     * Adds the spans that start at {@code from} or later; what comes before is seen only as context (a lookbehind, a
     * word boundary), as a search of the whole text that had reached {@code from} would see it.
     */
    void find(String text, int from, List<PiiSpan> found);

    /** A matcher of {@code text} that searches from {@code from} on and sees the text before it as context. */
    static Matcher matcher(Pattern pattern, String text, int from) {
        return pattern.matcher(text).region(from, text.length()).useTransparentBounds(true).useAnchoringBounds(false);
    }
}
