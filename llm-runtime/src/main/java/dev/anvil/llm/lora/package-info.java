/**
 * LoRA as PEFT defines it: {@link dev.anvil.llm.lora.LoraAdapter} (load/save in PEFT's format, create for training,
 * attach to a model, merge into it), {@link dev.anvil.llm.lora.LoraConfig}, and
 * {@link dev.anvil.llm.lora.LoraProjection}, which serves several adapters on one base, per batch row.
 */
package dev.anvil.llm.lora;
