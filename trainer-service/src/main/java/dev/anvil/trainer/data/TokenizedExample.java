package dev.anvil.trainer.data;

/**
 * A conversation as token ids with one label per token ({@link dev.anvil.llm.train.CausalLmLoss#IGNORE_INDEX}
 * where no loss is wanted); {@code truncated} when it was cut to the maximum sequence length.
 */
public record TokenizedExample(long[] ids, long[] labels, boolean truncated) {
    public TokenizedExample {
        if (ids.length != labels.length) throw new IllegalArgumentException("ids and labels differ in length");
        if (ids.length == 0) throw new IllegalArgumentException("an example needs at least one token");
    }

    public int length() {
        return ids.length;
    }
}
