package dev.anvil.llm.quant;

import java.util.Arrays;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * A tensor quantized to 4-bit NormalFloat (QLoRA, Dettmers et al. 2023): the flattened weights are cut into
 * blocks, each block is divided by its absmax and every value replaced by the index of the nearest of the 16
 * NF4 values, two indices per byte. Shapes whose size is not a multiple of the block size are zero-padded
 * internally; the padding never shows in {@link #dequantize}.
 *
 * <p>Everything runs as libtorch tensor ops on the device the weight lives on. Instances are immutable, safe to
 * share between threads, and hold their tensors beyond any {@code PointerScope}; the temporaries of each call
 * are freed when it returns, while its result belongs to the caller's scope.
 */
public final class Nf4Tensor {

    private final long[] shape;
    private final long numel;
    private final int blockSize;
    /** uint8 [blocks * blockSize / 2]: code of weight 2i in the high nibble of byte i, of 2i+1 in the low. */
    private final Tensor packedCodes;
    private final BlockScales scales;
    /** fp32 [16]: the NF4 values the codes index. */
    private final Tensor codebook;
    /** fp32 [256, 2]: the two values each packed byte decodes to. */
    private final Tensor pairTable;
    /** The dtype the weight was quantized from, kept for serialization. */
    private final ScalarType sourceType;

    Nf4Tensor(long[] shape, int blockSize, Tensor packedCodes, BlockScales scales, Tensor codebook,
            ScalarType sourceType) {
        this.shape = shape.clone();
        this.numel = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        this.blockSize = blockSize;
        this.packedCodes = Tensors.keep(packedCodes);
        this.scales = scales;
        this.codebook = Tensors.keep(codebook);
        this.pairTable = Tensors.keep(Codebook.pairTable(codebook));
        this.sourceType = sourceType.intern();
    }

    /**
     * Weights handled per step of {@link #quantize} and {@link #dequantize}: temporaries stay a few MB (in cache,
     * and under glibc's mmap threshold, so they are reused instead of page-faulted in afresh on every call).
     */
    static final long CHUNK_WEIGHTS = 1 << 20;

    /** Quantizes {@code weight} (any shape, float32, bfloat16 or float16); the input is not modified. */
    public static Nf4Tensor quantize(Tensor weight, Nf4Options options) {
        ScalarType sourceType = Tensors.requireFloating(weight.scalar_type(), "weight dtype");
        long[] shape = Tensors.shape(weight);
        long numel = weight.numel();
        if (numel == 0) {
            throw new IllegalArgumentException("cannot quantize an empty tensor of shape " + Arrays.toString(shape));
        }
        int blockSize = options.blockSize();
        long blocks = Tensors.ceilDiv(numel, blockSize);
        Device device = weight.device();
        try (PointerScope scope = new PointerScope()) {
            Tensor flat = weight.detach().reshape(-1);
            Tensor packed = torch.empty(new long[] {blocks * blockSize / 2}, Tensors.options(ScalarType.Byte, device),
                    new MemoryFormatOptional());
            Tensor absmax = torch.empty(new long[] {blocks}, Tensors.options(ScalarType.Float, device),
                    new MemoryFormatOptional());
            Tensor codebook = Codebook.nf4(device);
            Tensor midpoints = Codebook.midpoints(codebook);
            long chunkBlocks = CHUNK_WEIGHTS / blockSize;
            for (long first = 0; first < blocks; first += chunkBlocks) {
                long count = Math.min(chunkBlocks, blocks - first);
                try (PointerScope chunkScope = new PointerScope()) {
                    long start = first * blockSize;
                    long length = Math.min(count * blockSize, numel - start);
                    Tensor grid = Tensors.padTo(flat.narrow(0, start, length).to(ScalarType.Float), count * blockSize)
                            .view(count, blockSize);
                    Tensor chunkAbsmax = grid.abs().amax(new long[] {1}, false);
                    absmax.narrow(0, first, count).copy_(chunkAbsmax);
                    // An all-zero block has absmax 0: dividing by the smallest normal float keeps its codes at 0.0.
                    Tensor normalized = grid.div(chunkAbsmax.clamp_min(new Scalar(Float.MIN_NORMAL)).unsqueeze(1));
                    Tensor codes = Codebook.encode(normalized, midpoints).view(-1, 2);
                    packed.narrow(0, start / 2, count * blockSize / 2)
                            .copy_(codes.select(1, 0).__lshift__(new Scalar(4)).bitwise_or(codes.select(1, 1)));
                }
            }
            // amax propagates NaN and infinity, so one check over the scales covers every weight.
            if (!absmax.isfinite().all().item_bool()) {
                throw new IllegalArgumentException("cannot quantize a weight of shape " + Arrays.toString(shape)
                        + " holding NaN or infinite values");
            }
            BlockScales scales = options.doubleQuantization()
                    ? DoubleQuantizedScales.quantize(absmax, options.scaleBlockSize())
                    : new PlainScales(absmax);
            return new Nf4Tensor(shape, blockSize, packed, scales, codebook, sourceType);
        }
    }

    /**
     * The weight back in {@code dtype} (float32, bfloat16 or float16). Values are computed in fp32 and rounded
     * once to {@code dtype}, so the bf16 result equals the fp32 result cast to bf16.
     */
    public Tensor dequantize(ScalarType dtype) {
        ScalarType target = Tensors.requireFloating(dtype, "dequantization dtype");
        // Allocated outside the local scopes: the result belongs to the caller (and the caller's scope).
        Tensor out = torch.empty(new long[] {paddedNumel()}, Tensors.options(target, device()),
                new MemoryFormatOptional());
        dequantizeInto(out);
        return unpadded(out);
    }

    /**
     * Writes the weight into {@code out}, a contiguous flat tensor of {@link #paddedNumel} values of a floating
     * dtype on this tensor's device, without allocating it (a buffer reused call after call); the values are
     * those {@link #dequantize} returns, in its first {@link #numel} elements.
     */
    public void dequantizeInto(Tensor out) {
        if (out.dim() != 1 || out.numel() != paddedNumel() || !out.is_contiguous()) {
            throw new IllegalArgumentException("dequantizeInto needs a contiguous [" + paddedNumel() + "] tensor, got "
                    + Arrays.toString(Tensors.shape(out)));
        }
        boolean fp32 = Tensors.requireFloating(out.scalar_type(), "dequantization dtype") == ScalarType.Float;
        long blocks = scales.blocks();
        try (PointerScope scope = new PointerScope()) {
            Tensor grid = out.view(blocks, blockSize);
            Tensor blockScales = scales.dequantize().unsqueeze(1);
            long chunkBlocks = CHUNK_WEIGHTS / blockSize;
            for (long first = 0; first < blocks; first += chunkBlocks) {
                long count = Math.min(chunkBlocks, blocks - first);
                try (PointerScope chunkScope = new PointerScope()) {
                    Tensor codes = packedCodes.narrow(0, first * blockSize / 2, count * blockSize / 2)
                            .to(ScalarType.Int);
                    Tensor target = grid.narrow(0, first, count);
                    Tensor chunkScales = blockScales.narrow(0, first, count);
                    if (fp32) {
                        // Gathered straight into the output, scaled in place: no chunk-sized temporary, 4x the
                        // rate of gather-then-multiply on the 2-core machine (fresh pages are what costs there).
                        torch.index_select_out(target.view(-1, 2), pairTable, 0, codes);
                        target.mul_(chunkScales);
                    } else {
                        // Scaled in fp32 and rounded once into the 16-bit output.
                        Tensor values = pairTable.index_select(0, codes).view(count, blockSize);
                        torch.mul_out(target, values, chunkScales);
                    }
                }
            }
        }
    }

    /** The first {@link #numel} values of a {@link #paddedNumel} buffer, in this tensor's shape (a view). */
    Tensor unpadded(Tensor flat) {
        return (numel == flat.numel() ? flat : flat.narrow(0, 0, numel)).view(shape);
    }

    /** Whole blocks: {@link #numel} rounded up to the block size. */
    public long paddedNumel() {
        return scales.blocks() * blockSize;
    }

    public long[] shape() {
        return shape.clone();
    }

    public long numel() {
        return numel;
    }

    public Device device() {
        return packedCodes.device();
    }

    public int blockSize() {
        return blockSize;
    }

    public boolean doubleQuantized() {
        return scales instanceof DoubleQuantizedScales;
    }

    /** Bytes of quantized state: packed codes and block scales (the shared 16- and 256-value code books not counted). */
    public long bytesUsed() {
        return packedCodes.nbytes() + scales.bytes();
    }

    /** {@link #bytesUsed} in bits per weight: about 4.127 with double quantization, 4.5 without (block size 64). */
    public double bitsPerParameter() {
        return 8.0 * bytesUsed() / numel;
    }

    /**
     * This tensor's state as named tensors in bitsandbytes' layout ({@code prefix}, {@code prefix.absmax},
     * {@code prefix.quant_map}, ...), ready for a safetensors file; see {@link Nf4StateDict}.
     */
    public Map<String, Tensor> toState(String prefix) {
        return Nf4StateDict.write(this, prefix);
    }

    /** Reads the state {@link #toState} wrote (or bitsandbytes saved for an NF4 weight); tensors are copied. */
    public static Nf4Tensor fromState(Map<String, Tensor> tensors, String prefix) {
        return Nf4StateDict.read(tensors, prefix);
    }

    Tensor packedCodes() {
        return packedCodes;
    }

    BlockScales scales() {
        return scales;
    }

    Tensor codebook() {
        return codebook;
    }

    ScalarType sourceType() {
        return sourceType;
    }

    @Override
    public String toString() {
        return "Nf4Tensor" + Arrays.toString(shape) + " block " + blockSize
                + (doubleQuantized() ? ", double-quantized" : "") + String.format(", %.3f bits/weight",
                        bitsPerParameter());
    }
}
