package dev.anvil.dataset.pii;

import java.util.List;

/** Finds one kind of personal data in a text. */
interface PiiDetector {
    /** A cheap test that rules the detector out for most texts before any regular expression runs. */
    boolean mayMatch(TextProfile profile);

    void find(String text, List<PiiSpan> found);
}
