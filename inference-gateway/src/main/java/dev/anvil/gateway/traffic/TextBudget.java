package dev.anvil.gateway.traffic;

import java.util.List;

/**
 * How much of each text a sample keeps when all its texts together are longer than its budget: the same length for
 * every text that is cut, as long as the budget allows (water filling). Short texts (a system prompt, a brief answer)
 * stay whole and long ones share what is left, rather than the first long text taking it all.
 */
final class TextBudget {
    private final int perText;

    private TextBudget(int perText) {
        this.perText = perText;
    }

    /** The budget for {@code texts} within {@code maxChars} characters in all. */
    static TextBudget of(List<String> texts, int maxChars) {
        int[] lengths = texts.stream().mapToInt(String::length).sorted().toArray();
        long left = maxChars;
        for (int i = 0; i < lengths.length; i++) {
            int share = (int) (left / (lengths.length - i));
            if (lengths[i] > share) return new TextBudget(share);
            left -= lengths[i];
        }
        return new TextBudget(Integer.MAX_VALUE);
    }

    /** Whether {@code text} is cut. */
    boolean cuts(String text) {
        return text.length() > perText;
    }

    /** {@code text}, cut to its share; a cut never splits a surrogate pair. */
    String apply(String text) {
        if (!cuts(text)) return text;
        int end = perText;
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) end--;
        return text.substring(0, end);
    }
}
