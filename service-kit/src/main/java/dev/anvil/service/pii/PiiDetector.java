package dev.anvil.service.pii;

import java.util.List;

/** Finds one kind of personal data in a text. */
interface PiiDetector {
    /** The one kind of personal data it finds. */
    PiiType type();

    /** A cheap test that rules the detector out for most texts before any regular expression runs. */
    boolean mayMatch(TextProfile profile);

    void find(String text, List<PiiSpan> found);
}
