package dev.anvil.llm.data;

import dev.anvil.llm.train.CausalLmLoss;

/**
 * A conversation as token ids with one label per token ({@link dev.anvil.llm.train.CausalLmLoss#IGNORE_INDEX}
 * where no loss is wanted); {@code truncated} when it was cut to the maximum sequence length.
 */
public record TokenizedExample(long[] ids, long[] labels, boolean truncated) {
    public TokenizedExample {
        if (ids.length != labels.length) throw new IllegalArgumentException("ids and labels differ in length");
        if (ids.length == 0) throw new IllegalArgumentException("an example needs at least one token");
    }

    /** Whether a label counts: the loss predicts position t from t - 1, so the first position's label never does. */
    public boolean hasTarget() {
        for (int t = 1; t < labels.length; t++) if (labels[t] != CausalLmLoss.IGNORE_INDEX) return true;
        return false;
    }

    public int length() {
        return ids.length;
    }
}
