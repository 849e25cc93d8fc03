package dev.anvil.eval.metric;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * rouge_score's default tokenizer (no stemming): lowercase, every run of characters other than {@code [a-z0-9]}
 * becomes a space, split. Accented and non-Latin letters are separators, so text in such scripts has few or no
 * tokens, exactly as with rouge_score.
 */
final class RougeTokenizer {

    private static final Pattern NON_ALPHANUMERIC = Pattern.compile("[^a-z0-9]+");

    private RougeTokenizer() {
    }

    static List<String> tokenize(String text) {
        return Whitespace.split(NON_ALPHANUMERIC.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" "));
    }
}
