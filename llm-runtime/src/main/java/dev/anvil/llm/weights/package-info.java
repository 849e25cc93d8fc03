/**
 * Checkpoint files: safetensors read by memory mapping with strict header validation
 * ({@link dev.anvil.llm.weights.SafetensorsFile}, {@link dev.anvil.llm.weights.ShardedCheckpoint},
 * {@link dev.anvil.llm.weights.Checkpoints}), written atomically ({@link dev.anvil.llm.weights.SafetensorsWriter},
 * {@link dev.anvil.llm.weights.HfCheckpointWriter}), and PEFT LoRA adapter directories
 * ({@link dev.anvil.llm.weights.PeftAdapterFiles}). Knows file formats, not models.
 */
package dev.anvil.llm.weights;
