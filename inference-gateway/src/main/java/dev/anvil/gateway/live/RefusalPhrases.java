package dev.anvil.gateway.live;

import java.util.List;
import java.util.Locale;

/**
 * Whether an answer is a refusal: it holds one of a few phrases models commonly refuse with, in its first
 * {@value #HEAD_CHARS} characters, ignoring case. A refusal starts an answer or follows a short preamble; looking
 * further would count answers that merely quote such a phrase. The list is deliberately short and literal: the
 * refusal rate compares versions with each other, so what matters is that every version is measured alike.
 */
public final class RefusalPhrases {
    static final int HEAD_CHARS = 200;
    /** Lower case; apostrophes as plain {@code '} (a typographic one is read as it). */
    static final List<String> PHRASES = List.of(
            "i'm sorry, but i can't",
            "i'm sorry, but i cannot",
            "i am sorry, but i cannot",
            "i'm sorry, i can't",
            "i cannot help with",
            "i can't help with",
            "i can't assist with",
            "i cannot assist with",
            "i'm unable to help",
            "i am unable to help",
            "i won't be able to help",
            "as an ai");

    private RefusalPhrases() {
    }

    public static boolean isRefusal(String answer) {
        if (answer == null || answer.isEmpty()) return false;
        String head = answer.substring(0, Math.min(answer.length(), HEAD_CHARS)).replace('\u2019', '\'')
                .toLowerCase(Locale.ROOT);
        for (String phrase : PHRASES) {
            if (head.contains(phrase)) return true;
        }
        return false;
    }
}
