package dev.anvil.llm.quant;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** Small libtorch helpers shared by this package. */
final class Tensors {

    private Tensors() {
    }

    /**
     * Keeps {@code t} alive past the {@code PointerScope} it was created in; the garbage collector frees it
     * once its holder is gone. Used for the state an object holds, never for temporaries.
     */
    static Tensor keep(Tensor t) {
        t.retainReference();
        return t;
    }

    static TensorOptions options(ScalarType type, Device device) {
        return new TensorOptions(type).device(new DeviceOptional(device));
    }

    /** A 1-D fp32 tensor holding a copy of {@code values}. */
    static Tensor floats(float[] values, Device device) {
        Tensor view = torch.from_blob(new FloatPointer(values), new long[] {values.length},
                new TensorOptions(ScalarType.Float));
        return view.to(options(ScalarType.Float, device), false, true, new MemoryFormatOptional());
    }

    static long[] shape(Tensor t) {
        long[] shape = new long[(int) t.dim()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = t.size(i);
        }
        return shape;
    }

    /** The dtypes a weight may be dequantized to, and a linear layer may compute in. */
    static ScalarType requireFloating(ScalarType type, String what) {
        ScalarType t = type.intern();
        if (t != ScalarType.Float && t != ScalarType.BFloat16 && t != ScalarType.Half) {
            throw new IllegalArgumentException(what + " must be float32, bfloat16 or float16, got " + t);
        }
        return t;
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** {@code flat} zero-padded at the end to {@code length} elements. */
    static Tensor padTo(Tensor flat, long length) {
        long missing = length - flat.numel();
        return missing == 0 ? flat : torch.constant_pad_nd(flat, 0, missing);
    }
}
