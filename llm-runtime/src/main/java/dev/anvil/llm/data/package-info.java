/**
 * Conversations as labelled tokens: rendered with the model's chat template, tokenized once as a whole, labelled on
 * the assistant's replies or on everything ({@link dev.anvil.llm.data.ExampleEncoder}). Training learns from these
 * labels and evaluation scores them ({@link dev.anvil.llm.score.Scorer#scoreLabelled}), so that a validation loss
 * and an evaluated perplexity count the same tokens.
 */
package dev.anvil.llm.data;
