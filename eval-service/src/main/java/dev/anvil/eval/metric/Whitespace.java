package dev.anvil.eval.metric;

import java.util.ArrayList;
import java.util.List;

/**
 * Whitespace as Python's {@code str.split()} / {@code str.isspace()} see it, since the SQuAD script, sacreBLEU and
 * rouge_score all split with it: Java's {@link Character#isWhitespace} alone misses the no-break spaces and U+0085.
 * Works on code points so that characters outside the BMP stay whole.
 */
final class Whitespace {

    private Whitespace() {
    }

    static boolean isWhitespace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint) || codePoint == 0x85;
    }

    /** The maximal runs of non-whitespace, like Python's {@code s.split()}; empty for a blank string. */
    static List<String> split(String s) {
        List<String> tokens = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (isWhitespace(cp)) {
                if (start >= 0) tokens.add(s.substring(start, i));
                start = -1;
            } else if (start < 0) {
                start = i;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) tokens.add(s.substring(start));
        return tokens;
    }

    /** The string without any whitespace, like Python's {@code ''.join(s.split())}. */
    static String remove(String s) {
        return String.join("", split(s));
    }

    /** The string without trailing whitespace, like Python's {@code s.rstrip()}. */
    static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0) {
            int cp = s.codePointBefore(end);
            if (!isWhitespace(cp)) break;
            end -= Character.charCount(cp);
        }
        return s.substring(0, end);
    }
}
