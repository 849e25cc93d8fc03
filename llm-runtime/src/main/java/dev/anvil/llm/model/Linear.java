package dev.anvil.llm.model;

import dev.anvil.llm.torch.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** A dense projection {@code y = x W^T + b} over a weight in Hugging Face's {@code [out, in]} layout. */
public final class Linear implements Projection {

    /** Up to this many rows (a decoding step of a batch) go through {@link #applyToFewRows}. */
    private static final long FEW_ROWS = 16;

    private final Tensor weight;
    private final Tensor bias;

    public Linear(Tensor weight, Tensor bias) {
        this.weight = weight;
        this.bias = bias;
    }

    public Tensor weight() {
        return weight;
    }

    /** The bias, or null. */
    public Tensor bias() {
        return bias;
    }

    @Override
    public Tensor apply(Tensor x) {
        long rows = x.numel() / weight.size(1);
        if (rows == 1) return applyToOneRow(x);
        if (rows <= FEW_ROWS) return applyToFewRows(x, rows);
        return bias == null ? torch.linear(x, weight) : torch.linear(x, weight, new TensorOptional(bias));
    }

    /**
     * One row (a batch-1 decoding step): a matrix-vector product. {@code linear} would run a BLAS gemm, which
     * repacks the whole weight on every call; measured on the 2-core machine, gemv is 5-10x faster for a
     * 288x288 or 768x768 weight and 2-4x for a 32000x768 LM head (docs/benchmarks.md).
     */
    private Tensor applyToOneRow(Tensor x) {
        long[] shape = Tensors.shape(x);
        shape[shape.length - 1] = weight.size(0);
        Tensor y = torch.mv(weight, x.reshape(-1));
        if (bias != null) y = y.add(bias);
        return y.view(shape);
    }

    /**
     * A few rows: {@code (W x^T)^T}, the same product with the weight as BLAS's left operand, about 2x faster
     * than {@code linear} for 8 rows of a 2048x768 weight on the 2-core machine (docs/benchmarks.md).
     */
    private Tensor applyToFewRows(Tensor x, long rows) {
        long[] shape = Tensors.shape(x);
        shape[shape.length - 1] = weight.size(0);
        Tensor y = torch.mm(weight, x.reshape(rows, weight.size(1)).t()).t().contiguous();
        if (bias != null) y = y.add(bias);
        return y.view(shape);
    }
}
