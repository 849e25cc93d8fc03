package dev.anvil.gateway.safety;

import java.util.List;

/** Finds one kind of unwanted text. */
interface TextRule {
    /**
     * Adds what it finds in {@code text} from {@code from} on to {@code found}, in text order, without overlaps among
     * its own; the text before {@code from} is only context (a lookbehind, a word boundary).
     */
    void find(String text, int from, List<Finding> found);
}
