package dev.anvil.llm.train;

import java.util.Arrays;

import dev.anvil.llm.torch.Tensors;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * One training batch, {@code [B, T]} each: token ids, labels ({@link CausalLmLoss#IGNORE_INDEX} where no loss is
 * wanted) and the attention mask (1 = token, 0 = padding; null when nothing is padded). Padded positions never
 * count towards the loss, whatever their label says.
 */
public record TrainBatch(Tensor inputIds, Tensor labels, Tensor attentionMask) {

    public TrainBatch {
        long[] ids = Tensors.shape(inputIds);
        if (ids.length != 2) throw new IllegalArgumentException("inputIds must be [B, T], got " + Arrays.toString(ids));
        if (!Arrays.equals(ids, Tensors.shape(labels))) {
            throw new IllegalArgumentException("labels must have the shape of inputIds " + Arrays.toString(ids)
                    + ", got " + Arrays.toString(Tensors.shape(labels)));
        }
        if (attentionMask != null) {
            if (!Arrays.equals(ids, Tensors.shape(attentionMask))) {
                throw new IllegalArgumentException("attentionMask must have the shape of inputIds "
                        + Arrays.toString(ids) + ", got " + Arrays.toString(Tensors.shape(attentionMask)));
            }
            labels = labels.to(ScalarType.Long).masked_fill(attentionMask.eq(new Scalar(0)),
                    new Scalar(CausalLmLoss.IGNORE_INDEX));
        }
    }

    /** Plain language modelling: every token is a target, nothing is padded. */
    public static TrainBatch languageModelling(long[][] ids) {
        Tensor t = Tensors.longs(ids);
        return new TrainBatch(t, t, null);
    }

    public long targetTokens() {
        return CausalLmLoss.targetTokens(labels);
    }
}
