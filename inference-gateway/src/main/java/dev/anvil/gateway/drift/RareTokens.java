package dev.anvil.gateway.drift;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The share of rare or unknown tokens in a text's token ids. A token id is rare or unknown when it is the
 * tokenizer's unknown id, or when it is not among the {@code top} most frequent ids of a reference distribution (the
 * counts of token ids in the reference sample). Ids of equal count are ranked by id, so that the set is the same on
 * every replica. A vocabulary of subword tokens seldom produces the unknown id; a prompt in another language or
 * domain shows instead as tokens the reference rarely or never used.
 */
public final class RareTokens {
    /** How many of the reference's most frequent ids count as common by default. */
    public static final int DEFAULT_TOP = 1000;
    /** For {@code unknownId}: the tokenizer has no unknown id (byte-level BPE). */
    public static final int NO_UNKNOWN_ID = -1;

    private final Set<Integer> common;
    private final int unknownId;

    /**
     * @param referenceCounts how often each token id occurs in the reference sample
     * @param top             how many of the most frequent ids are common
     * @param unknownId       the tokenizer's unknown id, or {@link #NO_UNKNOWN_ID}
     */
    public RareTokens(Map<Integer, ? extends Number> referenceCounts, int top, int unknownId) {
        if (top < 0) throw new IllegalArgumentException("top must not be negative, not " + top);
        List<Map.Entry<Integer, ? extends Number>> ranked = new ArrayList<>(referenceCounts.entrySet());
        ranked.sort((a, b) -> {
            int byCount = Double.compare(b.getValue().doubleValue(), a.getValue().doubleValue());
            return byCount != 0 ? byCount : Integer.compare(a.getKey(), b.getKey());
        });
        this.common = new HashSet<>();
        for (Map.Entry<Integer, ? extends Number> entry : ranked.subList(0, Math.min(top, ranked.size()))) {
            if (entry.getValue().doubleValue() > 0) common.add(entry.getKey());
        }
        this.unknownId = unknownId;
    }

    public boolean isRare(int tokenId) {
        return tokenId == unknownId || !common.contains(tokenId);
    }

    /** The share of {@code tokenIds} that are rare or unknown; 0 for no tokens. */
    public double shareOf(int[] tokenIds) {
        if (tokenIds.length == 0) return 0;
        int rare = 0;
        for (int id : tokenIds) {
            if (isRare(id)) rare++;
        }
        return (double) rare / tokenIds.length;
    }
}
