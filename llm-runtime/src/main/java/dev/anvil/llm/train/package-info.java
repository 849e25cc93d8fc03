/**
 * Training building blocks, as plain steps rather than a framework: {@link dev.anvil.llm.train.CausalLmLoss},
 * {@link dev.anvil.llm.train.AdamWOptimizer} (clipping, per-step learning rate, exact save/load) and
 * {@link dev.anvil.llm.train.TrainStep}, which runs one forward/backward/update on a
 * {@link dev.anvil.llm.train.TrainBatch}. The trainer service composes them with its data, schedule and
 * checkpoints.
 */
package dev.anvil.llm.train;
