package dev.anvil.trainer.data;

import java.util.ArrayList;
import java.util.List;

import dev.anvil.llm.data.TokenizedExample;
import dev.anvil.llm.train.CausalLmLoss;

/**
 * Packs several examples into one sequence of at most {@code maxSeqLength} tokens (greedily, in order), so that
 * short examples do not waste a batch row on padding. The first token of every example after the first gets an
 * ignored label: it would otherwise be "predicted" from the end of the previous, unrelated example.
 *
 * <p>Limitation: attention across example boundaries is <em>not</em> blocked (the model takes a {@code [B, T]}
 * padding mask, not a block-diagonal one) and rotary positions continue across the boundary, so a later example
 * can attend to the earlier ones in its sequence. For short, independent examples this is the common trade-off
 * (Hugging Face's {@code packing=True} without flash-attention does the same); turn packing off where it matters.
 */
public final class Packer {

    private Packer() {
    }

    public static List<TokenizedExample> pack(List<TokenizedExample> examples, int maxSeqLength) {
        List<TokenizedExample> packed = new ArrayList<>();
        List<TokenizedExample> current = new ArrayList<>();
        int length = 0;
        for (TokenizedExample e : examples) {
            if (length + e.length() > maxSeqLength && !current.isEmpty()) {
                packed.add(concat(current));
                current.clear();
                length = 0;
            }
            current.add(e);
            length += e.length();
        }
        if (!current.isEmpty()) packed.add(concat(current));
        return packed;
    }

    private static TokenizedExample concat(List<TokenizedExample> parts) {
        int total = parts.stream().mapToInt(TokenizedExample::length).sum();
        long[] ids = new long[total];
        long[] labels = new long[total];
        boolean truncated = false;
        int at = 0;
        for (TokenizedExample p : parts) {
            System.arraycopy(p.ids(), 0, ids, at, p.length());
            System.arraycopy(p.labels(), 0, labels, at, p.length());
            if (at > 0) labels[at] = CausalLmLoss.IGNORE_INDEX;
            truncated |= p.truncated();
            at += p.length();
        }
        return new TokenizedExample(ids, labels, truncated);
    }
}
