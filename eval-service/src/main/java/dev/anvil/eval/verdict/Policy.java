package dev.anvil.eval.verdict;

import dev.anvil.eval.metric.TokenF1;

import java.util.regex.Pattern;

/**
 * The thresholds of the promotion rules. Every field is nullable, null meaning "rule off" (or, for
 * {@code taskMetric}, "the default metric"); the service builds its policy from configuration
 * ({@code anvil.eval.policy.*}) and lets a request override parts of it ({@link #withOverrides}). A candidate passes
 * a rule when its measure is within the threshold, equal included.
 *
 * @param minPerplexityImprovement rule {@code perplexity}: the candidate's perplexity must be at least this fraction
 *                                 lower than the baseline's, {@code (baseline - candidate) / baseline >= x}; 0.02
 *                                 asks for 2% lower, 0 for not higher, a negative value tolerates that much higher.
 *                                 In [-1, 1).
 * @param taskMetric               the metric of rule {@code taskMetric}, a key of the metric maps;
 *                                 {@value #DEFAULT_TASK_METRIC} when null. {@code accuracy} suits test sets whose
 *                                 references are labels.
 * @param maxTaskMetricDrop        rule {@code taskMetric}: the candidate's task metric may be at most this much below
 *                                 the baseline's, in the metric's own units (0..1, or 0..100 for bleu and chrF); 0
 *                                 means it must not fall. In [0, 100].
 * @param maxEmptyAnswerRate       rule {@code emptyAnswers}: the most the candidate's fraction of empty answers
 *                                 ({@code emptyAnswerRate}) may be. In [0, 1].
 * @param maxRepetitionRate        rule {@code repetition}: the most the candidate's fraction of repeated 4-grams
 *                                 ({@code repetitionRate}) may be. In [0, 1].
 * @param maxRepetitionIncrease    rule {@code repetitionIncrease}: the most the candidate's {@code repetitionRate}
 *                                 may exceed the baseline's, for tasks whose answers repeat by nature, where a fixed
 *                                 cap would not fit. In [0, 1].
 */
public record Policy(Double minPerplexityImprovement, String taskMetric, Double maxTaskMetricDrop,
                     Double maxEmptyAnswerRate, Double maxRepetitionRate, Double maxRepetitionIncrease) {

    /** The task metric when the policy names none: SQuAD token F1, which suits free-text answers. */
    public static final String DEFAULT_TASK_METRIC = TokenF1.NAME;

    /** The longest metric name accepted: result keys are short, and names go into one-line reasons. */
    public static final int MAX_METRIC_NAME_LENGTH = 64;

    // Names as the metric keys are spelled; no whitespace or control characters, which would break a reason line.
    private static final Pattern METRIC_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    /** The policy with every rule off: a decision under it fails, since no rule is enabled. */
    public static Policy none() {
        return new Policy(null, null, null, null, null, null);
    }

    /**
     * This policy with each field that {@code overrides} sets replaced: a request's partial policy over the configured
     * one. A request can change thresholds but not turn a configured rule off, since null means "not given".
     */
    public Policy withOverrides(Policy overrides) {
        if (overrides == null) return this;
        return new Policy(
                pick(overrides.minPerplexityImprovement, minPerplexityImprovement),
                pick(overrides.taskMetric, taskMetric),
                pick(overrides.maxTaskMetricDrop, maxTaskMetricDrop),
                pick(overrides.maxEmptyAnswerRate, maxEmptyAnswerRate),
                pick(overrides.maxRepetitionRate, maxRepetitionRate),
                pick(overrides.maxRepetitionIncrease, maxRepetitionIncrease));
    }

    /** The metric rule {@code taskMetric} compares: {@link #taskMetric}, or {@value #DEFAULT_TASK_METRIC}. */
    public String taskMetricOrDefault() {
        return taskMetric != null ? taskMetric : DEFAULT_TASK_METRIC;
    }

    /**
     * Checks every set field. Whether {@code taskMetric} names a metric that was measured is only known at decision
     * time (a rule on an absent metric fails then); here it only has to look like a metric name.
     *
     * @return this policy
     * @throws IllegalArgumentException naming the first field out of range, e.g.
     *                                  {@code policy.minPerplexityImprovement must be in [-1, 1), got 5.0}
     */
    public Policy validate() {
        requireIn("minPerplexityImprovement", minPerplexityImprovement, -1, 1, false);
        if (taskMetric != null && (taskMetric.length() > MAX_METRIC_NAME_LENGTH
                || !METRIC_NAME.matcher(taskMetric).matches())) {
            throw new IllegalArgumentException("policy.taskMetric must be a metric name (1 to "
                    + MAX_METRIC_NAME_LENGTH + " letters, digits, '_', '-' or '.'), got "
                    + (taskMetric.length() > MAX_METRIC_NAME_LENGTH
                    ? taskMetric.length() + " characters" : "'" + taskMetric + "'"));
        }
        requireIn("maxTaskMetricDrop", maxTaskMetricDrop, 0, 100, true);
        requireIn("maxEmptyAnswerRate", maxEmptyAnswerRate, 0, 1, true);
        requireIn("maxRepetitionRate", maxRepetitionRate, 0, 1, true);
        requireIn("maxRepetitionIncrease", maxRepetitionIncrease, 0, 1, true);
        return this;
    }

    private static <T> T pick(T override, T configured) {
        return override != null ? override : configured;
    }

    /** NaN fails both comparisons, so it is refused too. */
    private static void requireIn(String field, Double value, double min, double max, boolean maxIncluded) {
        if (value == null) return;
        boolean belowMax = maxIncluded ? value <= max : value < max;
        if (!(value >= min && belowMax)) {
            throw new IllegalArgumentException("policy." + field + " must be in [" + plain(min) + ", " + plain(max)
                    + (maxIncluded ? "]" : ")") + ", got " + value);
        }
    }

    /** Whole bounds without ".0", as a reader writes them. */
    private static String plain(double bound) {
        return bound == Math.rint(bound) ? Long.toString((long) bound) : Double.toString(bound);
    }
}
