/**
 * NF4 quantization as QLoRA defines it: {@link dev.anvil.llm.quant.Nf4Tensor} (block-wise 4-bit NormalFloat with
 * double-quantized scales, bitsandbytes' state layout), {@link dev.anvil.llm.quant.Nf4Linear} (a frozen NF4
 * projection), {@link dev.anvil.llm.quant.QuantizedBase} (a model's projections to NF4, with a memory report),
 * {@link dev.anvil.llm.quant.QuantizedCheckpoint} (NF4 model directories) and
 * {@link dev.anvil.llm.quant.ModelQuantizer} ({@code quantize --model DIR --out DIR}).
 */
package dev.anvil.llm.quant;
