/**
 * Generation metrics of the eval-service, in plain Java, each matching the numbers of its reference tool: a model's
 * answers (predictions) against a test set's references, one reference per prediction.
 *
 * <p>{@link dev.anvil.eval.metric.GenerationMetric} is the common shape ({@code name()}, {@code corpus(predictions,
 * references)}, {@code sentence(prediction, reference)}); {@link dev.anvil.eval.metric.GenerationMetrics#score}
 * computes every applicable one into {@link dev.anvil.eval.metric.GenerationScores} (ordered corpus map plus
 * per-example maps). The metrics, their keys, scales and reference tools:
 * <ul>
 *   <li>{@code exactMatch}, {@code tokenF1} ({@link dev.anvil.eval.metric.ExactMatch},
 *       {@link dev.anvil.eval.metric.TokenF1}): the official SQuAD v1.1 evaluation script, 0..1;</li>
 *   <li>{@code bleu} ({@link dev.anvil.eval.metric.Bleu}): sacreBLEU's corpus BLEU and {@code sentence_bleu}, 13a
 *       tokens, 0..100;</li>
 *   <li>{@code rouge1}, {@code rouge2}, {@code rougeL} ({@link dev.anvil.eval.metric.RougeN},
 *       {@link dev.anvil.eval.metric.RougeL}): Google's rouge_score F-measures, no stemming, mean over examples,
 *       0..1;</li>
 *   <li>{@code chrF} ({@link dev.anvil.eval.metric.ChrF}): sacreBLEU's chrF (char order 6, word order 0, beta 2),
 *       0..100;</li>
 *   <li>{@code accuracy}, {@code macroF1} ({@link dev.anvil.eval.metric.Accuracy},
 *       {@link dev.anvil.eval.metric.MacroF1}), only when {@link dev.anvil.eval.metric.LabelReferences#areLabels}
 *       takes the references for class labels: scikit-learn's {@code accuracy_score} and
 *       {@code f1_score(average='macro')}, on case-insensitive label forms, 0..1.</li>
 * </ul>
 *
 * <p>Besides, {@link dev.anvil.eval.metric.DegenerateAnswers} measures the answers alone, without references:
 * {@code emptyAnswerRate} (the fraction of empty answers) and {@code repetitionRate} (the "rep-4" fraction of repeated
 * word 4-grams, averaged over answers), both 0..1, for the verdict's degeneration rules.
 *
 * <p>No metric returns NaN or throws on empty strings; an empty corpus scores 0 everywhere. Everything is linear in
 * the text length except ROUGE-L's longest common subsequence (product of the token counts). The classes are
 * stateless and thread-safe.
 */
package dev.anvil.eval.metric;
