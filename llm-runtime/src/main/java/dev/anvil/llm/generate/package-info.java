/**
 * Choosing tokens: {@link dev.anvil.llm.generate.SamplingParams} (validated request settings),
 * {@link dev.anvil.llm.generate.SamplingSequence} (per-sequence state and random stream),
 * {@link dev.anvil.llm.generate.Sampler#next} (one decoding step for a batch: repetition penalty, temperature,
 * top-k, top-p, greedy or seeded draw) and {@link dev.anvil.llm.generate.StopStringMatcher}. The decode loop with
 * the KV cache lives beside it and calls {@code Sampler.next} once per step.
 */
package dev.anvil.llm.generate;
