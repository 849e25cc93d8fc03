package dev.anvil.llm.generate;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** Hand-made [batch, vocab] float32 logits for tests, and a way to read them back. */
final class Logits {
    private Logits() {
    }

    static Tensor of(float[]... rows) {
        int vocab = rows[0].length;
        float[] flat = new float[rows.length * vocab];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * vocab, vocab);
        }
        try (FloatPointer data = new FloatPointer(flat)) {
            return torch.from_blob(data, new long[] {rows.length, vocab}, new TensorOptions(ScalarType.Float)).clone();
        }
    }

    /** Natural logs of probabilities: softmax gives the probabilities back. */
    static float[] logOf(double... probabilities) {
        float[] out = new float[probabilities.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.log(probabilities[i]);
        }
        return out;
    }

    static float[][] read(Tensor t) {
        Tensor c = t.to(ScalarType.Float).contiguous();
        int rows = (int) c.size(0);
        int vocab = (int) c.size(1);
        float[] flat = new float[rows * vocab];
        c.data_ptr_float().get(flat);
        float[][] out = new float[rows][vocab];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * vocab, out[r], 0, vocab);
        }
        return out;
    }
}
