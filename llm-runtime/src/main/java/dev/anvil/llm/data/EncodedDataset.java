package dev.anvil.llm.data;

import java.util.ArrayList;
import java.util.List;

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
            if (e.hasTarget()) kept.add(e);
            else dropped++;
        }
        return new EncodedDataset(kept, truncated, dropped);
    }

    public int size() {
        return examples.size();
    }

    public long tokens() {
        return examples.stream().mapToLong(TokenizedExample::length).sum();
    }
}
