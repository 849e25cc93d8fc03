package dev.anvil.eval.metric;

import java.util.Locale;
import java.util.regex.Pattern;

/** How short answers are compared: the SQuAD v1.1 normalisation, and the label form derived from it. */
final class AnswerNormalization {

    /** Python's {@code string.punctuation}: ASCII only, so e.g. the en dash and curly quotes stay. */
    private static final String ASCII_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    /** {@code \b(a|an|the)\b} with Unicode word boundaries, as Python 3's {@code re} has them for str patterns. */
    private static final Pattern ARTICLES = Pattern.compile("\\b(a|an|the)\\b", Pattern.UNICODE_CHARACTER_CLASS);

    private AnswerNormalization() {
    }

    /**
     * The official SQuAD v1.1 {@code normalize_answer}: lowercase, drop ASCII punctuation, drop the articles
     * a/an/the, collapse whitespace; in that order (so "A.B." loses its dots before "ab" is looked at).
     */
    static String squad(String answer) {
        String s = removePunctuation(answer.toLowerCase(Locale.ROOT));
        s = ARTICLES.matcher(s).replaceAll(" ");
        return String.join(" ", Whitespace.split(s));
    }

    /**
     * A class label's comparable form: {@link #squad} without dropping articles, because the option letter "A" is
     * the article "a" and would vanish (and "A" would equal "an"). "Positive." and " positive" compare equal.
     */
    static String label(String answer) {
        return String.join(" ", Whitespace.split(removePunctuation(answer.toLowerCase(Locale.ROOT))));
    }

    private static String removePunctuation(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (ASCII_PUNCTUATION.indexOf(c) < 0) out.append(c);
        }
        return out.toString();
    }
}
