package dev.anvil.llm.train;

import java.util.Arrays;

import dev.anvil.llm.torch.Tensors;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The causal language-modelling loss as transformers computes it: the logits at position {@code t} predict the
 * label at {@code t + 1}; the loss is the mean cross-entropy over the labels that are not {@link #IGNORE_INDEX}
 * (prompt tokens, padding), computed in float32.
 */
public final class CausalLmLoss {

    /** The label of a position that does not count (PyTorch's and transformers' convention). */
    public static final long IGNORE_INDEX = -100;

    private CausalLmLoss() {
    }

    /**
     * @param logits {@code [B, T, V]}
     * @param labels {@code [B, T]} int64 token ids, {@link #IGNORE_INDEX} where no loss is wanted
     * @return the mean loss, a scalar float32 tensor attached to the autograd graph
     */
    public static Tensor of(Tensor logits, Tensor labels) {
        if (logits.dim() != 3 || labels.dim() != 2 || logits.size(0) != labels.size(0)
                || logits.size(1) != labels.size(1)) {
            throw new IllegalArgumentException("logits must be [B, T, V] and labels [B, T], got "
                    + Arrays.toString(Tensors.shape(logits)) + " and " + Arrays.toString(Tensors.shape(labels)));
        }
        long time = logits.size(1);
        if (time < 2) throw new IllegalArgumentException("a causal LM loss needs at least 2 positions, got " + time);
        long vocab = logits.size(2);
        // Shift the labels, not the logits: the logits are the largest tensor of a step ([B, T, 32000] floats is
        // 131 MB for 1,024 tokens), and narrowing them would copy them forward and again in backward. The last
        // position of each row gets an ignored label instead.
        Tensor targets = torch.constant_pad_nd(labels.narrow(1, 1, time - 1), new long[] {0, 1},
                new Scalar(IGNORE_INDEX)).reshape(-1).to(logits.device(), ScalarType.Long);
        Tensor predictions = logits.reshape(-1, vocab).to(ScalarType.Float);
        if (targetCount(targets) == 0) {
            throw new IllegalArgumentException("labels: every target position is " + IGNORE_INDEX + ", nothing to learn");
        }
        // cross_entropy's defaults are exactly this loss: mean over targets != -100.
        return torch.cross_entropy(predictions, targets);
    }

    /** How many positions of {@code labels} {@code [B, T]} count towards the loss (the first of each row never does). */
    public static long targetTokens(Tensor labels) {
        return targetCount(labels.narrow(1, 1, labels.size(1) - 1));
    }

    private static long targetCount(Tensor targets) {
        return targets.ne(new Scalar(IGNORE_INDEX)).sum().item_long();
    }
}
