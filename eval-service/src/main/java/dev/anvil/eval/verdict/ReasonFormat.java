package dev.anvil.eval.verdict;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.function.DoubleFunction;

/**
 * Numbers in reasons: 4 significant digits without trailing zeros, so that perplexities near 1, scores in 0..1 and
 * BLEU in 0..100 all read naturally, and the floating-point noise of a difference (0.8 - 0.7 =
 * 0.10000000000000009) does not show.
 */
final class ReasonFormat {

    private static final MathContext SIGNIFICANT = new MathContext(4);

    private ReasonFormat() {
    }

    /** E.g. {@code 3.21}, {@code 0.1235}, {@code 34.56}, {@code 100}. */
    static String number(double value) {
        if (!Double.isFinite(value)) return Double.toString(value);
        return new BigDecimal(value).round(SIGNIFICANT).stripTrailingZeros().toPlainString();
    }

    /** A fraction as a percentage, e.g. {@code 0.123} as {@code 12.3%}. */
    static String percent(double fraction) {
        return number(fraction * 100) + "%";
    }

    /** A difference of fractions in percentage points, e.g. {@code 0.075} as {@code 7.5 points}. */
    static String points(double fractionDifference) {
        return number(fractionDifference * 100) + " points";
    }

    /**
     * How far one side moved from the other, e.g. {@code 12.3% lower}, {@code 0.05 higher} or {@code unchanged}.
     *
     * @param change     the signed movement, positive in the direction {@code positive} names
     * @param format     how to write its size
     * @param positive   the word for a positive change, e.g. {@code lower}
     * @param negative   the word for a negative change, e.g. {@code higher}
     */
    static String movement(double change, DoubleFunction<String> format, String positive, String negative) {
        if (change == 0) return "unchanged";
        return change > 0 ? format.apply(change) + " " + positive : format.apply(-change) + " " + negative;
    }
}
