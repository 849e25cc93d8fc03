package dev.anvil.llm.quant;

import org.bytedeco.pytorch.Tensor;

/** The absmax scale of every NF4 block, stored plainly or double-quantized. */
sealed interface BlockScales permits PlainScales, DoubleQuantizedScales {

    /** How many blocks, hence scales, there are. */
    long blocks();

    /** The scales as fp32 [blocks]. */
    Tensor dequantize();

    /** Bytes this representation holds per tensor (shared code books not counted). */
    long bytes();
}
