package dev.anvil.llm.torch;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** Small conversions between Java arrays and tensors (copies, owned by libtorch). */
public final class Tensors {

    private Tensors() {}

    public static long[] shape(Tensor t) {
        long[] s = new long[(int) t.dim()];
        for (int i = 0; i < s.length; i++) s[i] = t.size(i);
        return s;
    }

    /** A [rows, cols] int64 tensor; rows must have equal length. */
    public static Tensor longs(long[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        long[] flat = new long[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != cols) throw new IllegalArgumentException("ragged rows: row " + r + " has "
                    + rows[r].length + " values, row 0 has " + cols);
            System.arraycopy(rows[r], 0, flat, r * cols, cols);
        }
        return longs(flat, rows.length, cols);
    }

    public static Tensor longs(long[] values, long... shape) {
        Torch.init();
        LongPointer p = new LongPointer(values);
        return torch.from_blob(p, shape, new TensorOptions(ScalarType.Long)).clone();
    }

    public static Tensor floats(float[] values, long... shape) {
        Torch.init();
        FloatPointer p = new FloatPointer(values);
        return torch.from_blob(p, shape, new TensorOptions(ScalarType.Float)).clone();
    }

    /** All values of {@code t} as float32, row-major. */
    public static float[] toFloats(Tensor t) {
        Tensor c = t.detach().to(ScalarType.Float).contiguous();
        float[] out = new float[(int) c.numel()];
        c.data_ptr_float().capacity(out.length).get(out);
        return out;
    }

    public static long[] toLongs(Tensor t) {
        Tensor c = t.detach().to(ScalarType.Long).contiguous();
        long[] out = new long[(int) c.numel()];
        new LongPointer(c.data_ptr()).capacity(out.length).get(out);
        return out;
    }
}
