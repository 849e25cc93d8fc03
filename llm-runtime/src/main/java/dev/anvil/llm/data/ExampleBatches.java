package dev.anvil.llm.data;

import dev.anvil.llm.torch.Tensors;
import dev.anvil.llm.train.CausalLmLoss;
import dev.anvil.llm.train.TrainBatch;

import java.util.List;

/** Labelled examples as one training batch. */
public final class ExampleBatches {

    private ExampleBatches() {
    }

    /**
     * Right-padded to the longest row with {@code padId}, padding unlabelled; the mask is left out when no row is
     * padded (the model then needs none).
     */
    public static TrainBatch padRight(List<TokenizedExample> rows, long padId) {
        int width = Math.max(2, rows.stream().mapToInt(TokenizedExample::length).max().orElse(0));
        long[][] ids = new long[rows.size()][width];
        long[][] labels = new long[rows.size()][width];
        long[][] mask = new long[rows.size()][width];
        boolean padded = false;
        for (int r = 0; r < rows.size(); r++) {
            TokenizedExample e = rows.get(r);
            for (int t = 0; t < width; t++) {
                boolean real = t < e.length();
                padded |= !real;
                ids[r][t] = real ? e.ids()[t] : padId;
                labels[r][t] = real ? e.labels()[t] : CausalLmLoss.IGNORE_INDEX;
                mask[r][t] = real ? 1 : 0;
            }
        }
        return new TrainBatch(Tensors.longs(ids), Tensors.longs(labels), padded ? Tensors.longs(mask) : null);
    }
}
