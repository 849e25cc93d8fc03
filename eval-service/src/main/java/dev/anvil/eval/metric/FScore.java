package dev.anvil.eval.metric;

/** The weighted harmonic mean of precision and recall that every F-measure here uses. */
final class FScore {

    private FScore() {
    }

    /** F1; 0 (not NaN) when precision and recall are both 0, as all the reference tools do. */
    static double f1(double precision, double recall) {
        return fBeta(precision, recall, 1);
    }

    /** F-beta: recall weighs {@code beta} times as much as precision (chrF uses beta 2). */
    static double fBeta(double precision, double recall, double beta) {
        double b2 = beta * beta;
        double denominator = b2 * precision + recall;
        return denominator > 0 ? (1 + b2) * precision * recall / denominator : 0.0;
    }
}
