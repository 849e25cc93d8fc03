package dev.anvil.llm.quant;

import org.bytedeco.pytorch.Tensor;

/** Block scales kept as fp32: 32 bits per block, 0.5 bits per weight at block size 64. */
record PlainScales(Tensor absmax) implements BlockScales {

    PlainScales {
        Tensors.keep(absmax);
    }

    @Override
    public long blocks() {
        return absmax.numel();
    }

    @Override
    public Tensor dequantize() {
        return absmax;
    }

    @Override
    public long bytes() {
        return absmax.nbytes();
    }
}
