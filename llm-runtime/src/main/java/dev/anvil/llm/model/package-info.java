/**
 * The Llama-family decoder: {@link dev.anvil.llm.model.ModelConfig} (config.json), {@link dev.anvil.llm.model.LlamaModel}
 * (loading, forward pass, export), {@link dev.anvil.llm.model.KvCache}, pluggable {@link dev.anvil.llm.model.Projection}s
 * (dense {@link dev.anvil.llm.model.Linear}, NF4, LoRA-wrapped), per-row {@link dev.anvil.llm.model.AdapterRouting},
 * {@link dev.anvil.llm.model.TokenGenerator} with a pluggable {@link dev.anvil.llm.model.TokenSelector}, and
 * {@link dev.anvil.llm.model.RandomCheckpoint}.
 */
package dev.anvil.llm.model;
