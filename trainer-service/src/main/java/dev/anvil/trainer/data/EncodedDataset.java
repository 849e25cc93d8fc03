package dev.anvil.trainer.data;

import java.util.ArrayList;
import java.util.List;

import dev.anvil.llm.train.CausalLmLoss;

/**
 * A split ready for batching, with what encoding did to it: how many examples were truncated, and how many were
 * dropped because truncation left them nothing to learn (no labelled token after the first position).
 */
public record EncodedDataset(List<TokenizedExample> examples, int truncated, int dropped) {

    public EncodedDataset {
        examples = List.copyOf(examples);
    }

    public static EncodedDataset encode(List<Conversation> conversations, ExampleEncoder encoder) {
        List<TokenizedExample> kept = new ArrayList<>(conversations.size());
        int truncated = 0;
        int dropped = 0;
        for (Conversation c : conversations) {
            TokenizedExample e = encoder.encode(c);
            if (e.truncated()) truncated++;
            if (hasTarget(e)) kept.add(e);
            else dropped++;
        }
        return new EncodedDataset(kept, truncated, dropped);
    }

    /** The loss predicts position t from t - 1, so the first position's label never counts. */
    static boolean hasTarget(TokenizedExample e) {
        for (int t = 1; t < e.length(); t++) if (e.labels()[t] != CausalLmLoss.IGNORE_INDEX) return true;
        return false;
    }

    public int size() {
        return examples.size();
    }

    public long tokens() {
        return examples.stream().mapToLong(TokenizedExample::length).sum();
    }
}
