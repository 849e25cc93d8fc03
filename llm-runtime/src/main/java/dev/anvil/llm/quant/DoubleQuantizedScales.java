package dev.anvil.llm.quant;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Block scales quantized a second time (QLoRA section 3, "double quantization"), as bitsandbytes does it:
 * subtract their mean (absmax values are all positive, centring them uses the signed code fully), then
 * quantize blocks of {@code nestedBlockSize} to the 8-bit dynamic code with one fp32 absmax per block.
 * Costs 8/64 + 32/(64*256) = 0.127 bits per weight instead of 0.5.
 *
 * @param codes           uint8 [blocks], one per scale (unpadded, so memory is the paper's 8 bits per block even
 *                        for small matrices; the last nested block is padded only while dequantizing)
 * @param nestedAbsmax    fp32 [nested blocks]
 * @param dynamicCode     fp32 [256], the sorted code values
 * @param offset          the mean that was subtracted
 * @param blocks          how many scales are stored
 * @param nestedBlockSize scales sharing one fp32 absmax
 */
record DoubleQuantizedScales(Tensor codes, Tensor nestedAbsmax, Tensor dynamicCode, float offset, long blocks,
        int nestedBlockSize) implements BlockScales {

    DoubleQuantizedScales {
        Tensors.keep(codes);
        Tensors.keep(nestedAbsmax);
        Tensors.keep(dynamicCode);
    }

    /** Quantizes fp32 [blocks] scales. */
    static DoubleQuantizedScales quantize(Tensor absmax, int nestedBlockSize) {
        long blocks = absmax.numel();
        float offset = absmax.mean().item_float();
        long nestedBlocks = Tensors.ceilDiv(blocks, nestedBlockSize);
        // Padding after centring: a zero then cannot raise any nested absmax.
        Tensor centred = Tensors.padTo(absmax.sub(new Scalar(offset)), nestedBlocks * nestedBlockSize)
                .view(nestedBlocks, nestedBlockSize);
        Tensor nestedAbsmax = centred.abs().amax(new long[] {1}, false);
        Tensor normalized = centred.div(nestedAbsmax.clamp_min(new Scalar(Float.MIN_NORMAL)).unsqueeze(1));
        Tensor dynamicCode = Codebook.dynamic8(absmax.device());
        Tensor codes = Codebook.encode(normalized, Codebook.midpoints(dynamicCode)).view(-1).narrow(0, 0, blocks)
                .to(ScalarType.Byte);
        return new DoubleQuantizedScales(codes, nestedAbsmax, dynamicCode, offset, blocks, nestedBlockSize);
    }

    @Override
    public Tensor dequantize() {
        long padded = Tensors.ceilDiv(blocks, nestedBlockSize) * nestedBlockSize;
        Tensor centred = Tensors.padTo(dynamicCode.index_select(0, codes.to(ScalarType.Int)), padded)
                .view(-1, nestedBlockSize)
                .mul(nestedAbsmax.unsqueeze(1))
                .view(-1);
        return centred.narrow(0, 0, blocks).add(new Scalar(offset));
    }

    @Override
    public long bytes() {
        return codes.nbytes() + nestedAbsmax.nbytes() + Float.BYTES;
    }
}
