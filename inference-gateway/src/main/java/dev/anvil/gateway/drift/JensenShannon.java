package dev.anvil.gateway.drift;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The Jensen-Shannon distance between two categorical distributions (token ids, character classes), each given as
 * counts (or shares) per category: the square root of the Jensen-Shannon divergence in bits,
 * {@code JS = (KL(P || M) + KL(Q || M)) / 2} with {@code M = (P + Q) / 2}. Each side is normalized to sum to 1; a
 * category missing from one side counts 0 there. The distance lies in [0, 1]: 0 for equal distributions, 1 for
 * disjoint ones.
 */
public final class JensenShannon {
    private JensenShannon() {
    }

    public static <K> double distance(Map<K, ? extends Number> p, Map<K, ? extends Number> q) {
        double pTotal = total(p);
        double qTotal = total(q);
        Set<K> categories = new HashSet<>(p.keySet());
        categories.addAll(q.keySet());
        double divergence = 0;
        for (K category : categories) {
            double pi = share(p, category, pTotal);
            double qi = share(q, category, qTotal);
            double mi = (pi + qi) / 2;
            divergence += (term(pi, mi) + term(qi, mi)) / 2;
        }
        // Rounding can leave a hair below 0 for equal distributions.
        return Math.sqrt(Math.max(0, divergence));
    }

    private static double term(double x, double m) {
        return x > 0 ? x * Math.log(x / m) / Math.log(2) : 0;
    }

    private static <K> double share(Map<K, ? extends Number> counts, K category, double total) {
        Number count = counts.get(category);
        return count == null ? 0 : count.doubleValue() / total;
    }

    private static double total(Map<?, ? extends Number> counts) {
        double total = 0;
        for (Number count : counts.values()) {
            if (count.doubleValue() < 0) throw new IllegalArgumentException("a negative count: " + count);
            total += count.doubleValue();
        }
        if (total <= 0) throw new IllegalArgumentException("no counts");
        return total;
    }
}
