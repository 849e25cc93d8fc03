/**
 * Drift monitoring: the features the gateway measures on each (prompt, response) pair and the statistics that
 * compare a reference sample of a feature with a live one.
 * <ul>
 *   <li>Features ({@link dev.anvil.gateway.drift.FeatureExtractor}): prompt and response length in tokens, the share
 *       of rare or unknown prompt tokens ({@link dev.anvil.gateway.drift.RareTokens}), refusal
 *       ({@link dev.anvil.gateway.live.RefusalPhrases}), the prompt's character-class mix
 *       ({@link dev.anvil.gateway.drift.CharacterClass}) and its embedding
 *       ({@link dev.anvil.gateway.drift.PromptEmbeddings}). Response perplexity under the base model is not measured
 *       yet (it needs a scoring pass on the engine; a later slice).</li>
 *   <li>Statistics, one class each, pure Java: {@link dev.anvil.gateway.drift.Psi},
 *       {@link dev.anvil.gateway.drift.KolmogorovSmirnov}, {@link dev.anvil.gateway.drift.JensenShannon},
 *       {@link dev.anvil.gateway.drift.CentroidDistance}.</li>
 *   <li>Negative feedback ({@link dev.anvil.gateway.drift.NegativeFeedback}): clients' ratings rather than traffic's
 *       features, raised through the same alerts and cool-down ({@link dev.anvil.gateway.drift.DriftAlerts}).</li>
 * </ul>
 * Windows, thresholds and the events they raise build on these and live elsewhere.
 */
package dev.anvil.gateway.drift;
