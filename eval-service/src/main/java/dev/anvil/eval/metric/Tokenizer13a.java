package dev.anvil.eval.metric;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code 13a} tokenisation BLEU is reported with: the rules of WMT's mteval-v13a.pl as sacreBLEU applies them
 * (case kept, tokens split by Python's whitespace rules). Written from the rules, applied in their order, each as a
 * left-to-right non-overlapping substitution, which is what gives e.g. "3.5" and "1,000" their single tokens.
 */
final class Tokenizer13a {

    /** Symbols made tokens of their own: {@code { | } ~ [ \ ] ^ _ ` ! " # $ % & ( ) * + : ; < = > ? @ /} (and space). */
    private static final Pattern SYMBOL = Pattern.compile("([\\{-\\~\\[-\\` -\\&\\(-\\+\\:-\\@\\/])");
    /** A period or comma after a non-digit is split off... */
    private static final Pattern PERIOD_COMMA_AFTER_NON_DIGIT = Pattern.compile("([^0-9])([\\.,])");
    /** ...and one before a non-digit, so that only a separator between digits stays inside its number. */
    private static final Pattern PERIOD_COMMA_BEFORE_NON_DIGIT = Pattern.compile("([\\.,])([^0-9])");
    /** A dash after a digit ("5-year"), but not inside words ("well-known"). */
    private static final Pattern DASH_AFTER_DIGIT = Pattern.compile("([0-9])(-)");

    private Tokenizer13a() {
    }

    static List<String> tokenize(String line) {
        // The language-independent part: mteval's SGML leftovers and line joining.
        String s = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ");
        if (s.indexOf('&') >= 0) {
            s = s.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
        }
        // The padding lets the digit rules see a non-digit at both ends.
        s = " " + s + " ";
        s = SYMBOL.matcher(s).replaceAll(" $1 ");
        s = PERIOD_COMMA_AFTER_NON_DIGIT.matcher(s).replaceAll("$1 $2 ");
        s = PERIOD_COMMA_BEFORE_NON_DIGIT.matcher(s).replaceAll(" $1 $2");
        s = DASH_AFTER_DIGIT.matcher(s).replaceAll("$1 $2 ");
        return Whitespace.split(s);
    }
}
