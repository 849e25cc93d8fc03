package dev.anvil.llm.quant;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** The two code books of QLoRA: NF4 for weights and the 8-bit dynamic code for double-quantized scales. */
final class Codebook {

    private Codebook() {
    }

    /**
     * The 16 NormalFloat4 values (QLoRA, Dettmers et al. 2023, appendix E; bitsandbytes' {@code nf4} map):
     * quantiles of N(0, 1) scaled to [-1, 1], asymmetric so that 0 is exact and both ends are reached.
     */
    static final float[] NF4 = {
        -1.0f, -0.6961928009986877f, -0.5250730514526367f, -0.39491748809814453f,
        -0.28444138169288635f, -0.18477343022823334f, -0.09105003625154495f, 0.0f,
        0.07958029955625534f, 0.16093020141124725f, 0.24611230194568634f, 0.33791524171829224f,
        0.44070982933044434f, 0.5626170039176941f, 0.7229568362236023f, 1.0f,
    };

    static final int NF4_SIZE = 16;
    static final int DYNAMIC_SIZE = 256;

    static Tensor nf4(Device device) {
        return Tensors.floats(NF4, device);
    }

    /**
     * The signed 8-bit dynamic code that bitsandbytes quantizes double-quantized scales with
     * ({@code create_dynamic_map(signed=True)}, Dettmers 2016): for each decade 1e-6 .. 1 the midpoints of a
     * linear grid over [0.1, 1] of 1, 2, 4 .. 64 steps, both signs, plus 0 and 1; 256 sorted values.
     * Built with the fp32 tensor ops bitsandbytes uses; the map is stored with the state anyway, so reading a
     * saved tensor never depends on rebuilding it bit for bit.
     */
    static Tensor dynamic8(Device device) {
        final int exponentBits = 7;
        TensorVector parts = new TensorVector();
        for (int i = 0; i < exponentBits; i++) {
            Tensor grid = torch.linspace(new Scalar(0.1), new Scalar(1.0), (1L << i) + 1,
                    Tensors.options(ScalarType.Float, device));
            long n = grid.numel();
            Tensor means = grid.narrow(0, 0, n - 1).add(grid.narrow(0, 1, n - 1)).div(new Scalar(2.0));
            double decade = Math.pow(10, -(exponentBits - 1) + i);
            parts.push_back(means.mul(new Scalar(decade)));
            parts.push_back(means.mul(new Scalar(-decade)));
        }
        parts.push_back(Tensors.floats(new float[] {0.0f, 1.0f}, device));
        // msort returns the values alone; sort's (values, indices) tuple owns what it returns.
        return torch.msort(torch.cat(parts));
    }

    /**
     * For each element of {@code normalized}, the index of the nearest value of a sorted code book (a tie goes
     * to the lower value), as int32, given the code book's {@link #midpoints}. Bucketing by the midpoints is the
     * nearest-value rule in O(log k) per element and without a k-times larger temporary.
     */
    static Tensor encode(Tensor normalized, Tensor midpoints) {
        return torch.bucketize(normalized, midpoints, true, false);
    }

    /** The k - 1 boundaries between neighbouring values of a sorted code book, for {@link #encode}. */
    static Tensor midpoints(Tensor codebook) {
        long k = codebook.numel();
        return codebook.narrow(0, 0, k - 1).add(codebook.narrow(0, 1, k - 1)).div(new Scalar(2.0));
    }

    /**
     * A [256, 2] table mapping a packed byte to the values of its two codes: the high nibble (the earlier
     * weight, as bitsandbytes packs) then the low nibble. Decoding then is one gather per byte.
     */
    static Tensor pairTable(Tensor nf4Values) {
        Tensor slot = torch.arange(new Scalar(2 * 256), Tensors.options(ScalarType.Int, nf4Values.device()));
        Tensor packedByte = slot.__rshift__(new Scalar(1));
        Tensor shift = slot.bitwise_and(new Scalar(1)).neg().add(new Scalar(1)).mul(new Scalar(4));
        Tensor code = packedByte.__rshift__(shift).bitwise_and(new Scalar(15));
        return nf4Values.index_select(0, code).view(256, 2);
    }
}
