/**
 * Log-likelihood scoring: {@link dev.anvil.llm.score.Scorer} (per-token NLL with masks, batched; perplexity of a
 * text; multiple-choice continuations), {@link dev.anvil.llm.score.TokenScores} and
 * {@link dev.anvil.llm.score.ChoiceScores}. Used by the evaluator and the {@code score} CLI command.
 */
package dev.anvil.llm.score;
