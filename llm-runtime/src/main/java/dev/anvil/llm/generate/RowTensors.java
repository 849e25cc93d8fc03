package dev.anvil.llm.generate;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** Per-row parameters into tensors and results back out: the only copies between Java and libtorch here. */
final class RowTensors {
    private RowTensors() {
    }

    /** A [rows, 1] float column on the device of {@code like}, to broadcast one value per row. */
    static Tensor column(float[] values, Tensor like) {
        return floats(values, new long[] {values.length, 1}, like);
    }

    static Tensor floats(float[] values, long[] shape, Tensor like) {
        try (FloatPointer data = new FloatPointer(values)) {
            Tensor cpu = torch.from_blob(data, shape, new TensorOptions(ScalarType.Float)).clone();
            return like.is_cpu() ? cpu : cpu.to(like.device(), ScalarType.Float);
        }
    }

    /** A [rows, 1] double column, for the uniforms of the draw (kept in double end to end). */
    static Tensor doubleColumn(double[] values, Tensor like) {
        try (DoublePointer data = new DoublePointer(values)) {
            Tensor cpu = torch.from_blob(data, new long[] {values.length, 1}, new TensorOptions(ScalarType.Double)).clone();
            return like.is_cpu() ? cpu : cpu.to(like.device(), ScalarType.Double);
        }
    }

    static Tensor longs(long[] values, long[] shape, Tensor like) {
        try (LongPointer data = new LongPointer(values)) {
            Tensor cpu = torch.from_blob(data, shape, new TensorOptions(ScalarType.Long)).clone();
            return like.is_cpu() ? cpu : cpu.to(like.device(), ScalarType.Long);
        }
    }

    static float[] readFloats(Tensor t) {
        Tensor flat = t.reshape(-1).to(ScalarType.Float).cpu().contiguous();
        float[] out = new float[(int) flat.numel()];
        flat.data_ptr_float().get(out);
        return out;
    }

    static long[] readLongs(Tensor t) {
        Tensor flat = t.reshape(-1).to(ScalarType.Long).cpu().contiguous();
        long[] out = new long[(int) flat.numel()];
        flat.data_ptr_long().get(out);
        return out;
    }
}
