package dev.anvil.llm.quant;

/**
 * How a weight is quantized to NF4.
 *
 * @param blockSize          weights sharing one absmax scale; QLoRA uses 64
 * @param doubleQuantization whether the block scales are themselves quantized to 8 bits (QLoRA's "double
 *                           quantization"): 4.127 instead of 4.5 bits per weight at block size 64
 * @param scaleBlockSize     block scales sharing one fp32 scale when double-quantized; QLoRA uses 256
 */
public record Nf4Options(int blockSize, boolean doubleQuantization, int scaleBlockSize) {

    /** The QLoRA paper's setting: blocks of 64, scales double-quantized in blocks of 256. */
    public static final Nf4Options QLORA = new Nf4Options(64, true, 256);

    /** Blocks of 64 with plain fp32 scales (4.5 bits per weight). */
    public static final Nf4Options SINGLE_QUANTIZATION = new Nf4Options(64, false, 256);

    // bitsandbytes accepts these block sizes; larger ones would let one outlier flatten thousands of weights.
    static final int MIN_BLOCK = 16;
    static final int MAX_BLOCK = 4096;

    public Nf4Options {
        requireBlockSize("blockSize", blockSize);
        requireBlockSize("scaleBlockSize", scaleBlockSize);
    }

    private static void requireBlockSize(String field, int value) {
        if (value < MIN_BLOCK || value > MAX_BLOCK || Integer.bitCount(value) != 1) {
            throw new IllegalArgumentException(field + " must be a power of two in [" + MIN_BLOCK + ", "
                    + MAX_BLOCK + "], got " + value);
        }
    }
}
