/**
 * The promotion verdict of the eval-service, in plain Java: whether a candidate (a trained version) may be promoted
 * over its baseline, from the two sides' metric maps of an evaluation.
 *
 * <p>A {@link dev.anvil.eval.verdict.Policy} holds the rules' thresholds, each null when its rule is off; the service
 * builds one from configuration and lets a request override parts of it
 * ({@link dev.anvil.eval.verdict.Policy#withOverrides}). {@link dev.anvil.eval.verdict.Judge#decide} applies the
 * enabled rules and returns a {@link dev.anvil.eval.verdict.Decision}: the
 * {@link dev.anvil.events.evaluation.Verdict} and one {@link dev.anvil.eval.verdict.RuleOutcome} per rule, whose
 * one-line reasons go into the {@code EvaluationCompleted} event. The rules, by stable key:
 * <ul>
 *   <li>{@code perplexity}: the candidate's perplexity at least {@code minPerplexityImprovement} (a fraction) lower
 *       than the baseline's;</li>
 *   <li>{@code taskMetric}: the candidate's {@code taskMetric} (default {@code tokenF1}) at most
 *       {@code maxTaskMetricDrop} below the baseline's, in the metric's units;</li>
 *   <li>{@code emptyAnswers}: the candidate's {@code emptyAnswerRate} at most {@code maxEmptyAnswerRate};</li>
 *   <li>{@code repetition}: the candidate's {@code repetitionRate} at most {@code maxRepetitionRate};</li>
 *   <li>{@code repetitionIncrease}: the candidate's {@code repetitionRate} at most {@code maxRepetitionIncrease}
 *       above the baseline's.</li>
 * </ul>
 *
 * <p>The verdict is PASS only when at least one rule is enabled and every enabled rule passes; a value equal to its
 * threshold passes. A rule whose metric is missing, NaN or infinite fails: a verdict never passes on missing
 * evidence.
 */
package dev.anvil.eval.verdict;
