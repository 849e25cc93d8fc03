package dev.anvil.eval.metric;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * N-gram counting shared by every overlap metric: SQuAD token F1 (unigrams), BLEU and ROUGE-N (word n-grams) and
 * chrF (character n-grams, a character being one code point). An n-gram is the list of its n tokens.
 */
final class NGrams {

    private NGrams() {
    }

    /** How often each window of {@code n} consecutive tokens occurs; empty when there are fewer than n tokens. */
    static Map<List<String>, Integer> count(List<String> tokens, int n) {
        Map<List<String>, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) {
            counts.merge(List.copyOf(tokens.subList(i, i + n)), 1, Integer::sum);
        }
        return counts;
    }

    /** The number of n-grams counted, repeats included. */
    static int total(Map<List<String>, Integer> counts) {
        int total = 0;
        for (int c : counts.values()) total += c;
        return total;
    }

    /**
     * Matches between two multisets of n-grams: each n-gram counts at most as often as it occurs in the other side
     * (BLEU's "clipped" counts, the size of a multiset intersection).
     */
    static int clippedMatches(Map<List<String>, Integer> candidate, Map<List<String>, Integer> reference) {
        int matches = 0;
        for (Map.Entry<List<String>, Integer> e : candidate.entrySet()) {
            matches += Math.min(e.getValue(), reference.getOrDefault(e.getKey(), 0));
        }
        return matches;
    }
}
