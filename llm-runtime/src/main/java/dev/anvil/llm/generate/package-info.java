/**
 * Text generation. {@link dev.anvil.llm.generate.TextGenerator} is the entry point: a batch of
 * {@link dev.anvil.llm.generate.GenerationRequest}s, each with its own {@link dev.anvil.llm.generate.SamplingParams}
 * and adapter, streamed through a {@link dev.anvil.llm.generate.TokenListener}, ending in
 * {@link dev.anvil.llm.generate.Generation}s (text, tokens, {@link dev.anvil.llm.generate.FinishReason}, usage,
 * optional {@link dev.anvil.llm.generate.TokenLogprob}s); a request can be cancelled while its batch goes on.
 * Beneath it: {@link dev.anvil.llm.generate.SamplingSequence} (per-sequence state and random stream),
 * {@link dev.anvil.llm.generate.Sampler#next} (one step for a batch: repetition penalty, temperature, top-k, top-p,
 * greedy or seeded draw) and {@link dev.anvil.llm.generate.StopStringMatcher}. The decode loop itself (KV cache,
 * padding, positions) is {@link dev.anvil.llm.model.TokenGenerator}; this package plugs the sampler into it.
 */
package dev.anvil.llm.generate;
