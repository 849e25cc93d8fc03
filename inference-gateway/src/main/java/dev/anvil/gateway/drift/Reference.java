package dev.anvil.gateway.drift;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * A version's reference sample of drift features, and the comparison of a live window with it.
 * <p>
 * The share of rare prompt tokens needs a vocabulary to be rare against: the reference's first half fixes it (its
 * {@code rareTop} most frequent token ids), and the reference's distribution of the share is measured on its second
 * half, so that reference and live windows are both measured on prompts the vocabulary was not taken from.
 */
public final class Reference {
    static final String REFUSED = "refused";
    static final String ANSWERED = "answered";
    /** The fewest embedded prompts a centroid is taken of. */
    static final int MIN_EMBEDDINGS = 5;

    private final int samples;
    private final RareTokens rareTokens;
    private final Numeric promptTokens;
    private final Numeric responseTokens;
    private final Numeric rareTokenShare;
    private final Map<String, Long> refusals;
    private final Map<CharacterClass, Long> characters;
    private final double[] embeddingCentroid;

    private Reference(List<RequestFeatures> sample, int rareTop) {
        if (sample.size() < 2) throw new IllegalArgumentException("a reference needs at least 2 samples");
        samples = sample.size();
        List<RequestFeatures> first = sample.subList(0, samples / 2);
        List<RequestFeatures> second = sample.subList(samples / 2, samples);
        Map<Integer, Long> counts = new HashMap<>();
        for (RequestFeatures f : first) {
            for (int id : f.promptTokenIds()) counts.merge(id, 1L, Long::sum);
        }
        rareTokens = new RareTokens(counts, rareTop, RareTokens.NO_UNKNOWN_ID);
        promptTokens = new Numeric(values(sample, RequestFeatures::promptTokens));
        responseTokens = new Numeric(values(sample, RequestFeatures::responseTokens));
        rareTokenShare = new Numeric(values(second, f -> rareTokens.shareOf(f.promptTokenIds())));
        refusals = refusalsOf(sample);
        characters = charactersOf(sample);
        embeddingCentroid = centroidOf(sample);
    }

    /**
     * @param rareTop how many of the most frequent token ids of the reference's first half are common
     */
    public static Reference of(List<RequestFeatures> sample, int rareTop) {
        return new Reference(List.copyOf(sample), rareTop);
    }

    public int samples() {
        return samples;
    }

    /** Each feature of {@code live} against the reference, in a fixed order. */
    public List<FeatureCheck> compare(List<RequestFeatures> live, DriftThresholds thresholds) {
        if (live.isEmpty()) throw new IllegalArgumentException("an empty live window");
        List<FeatureCheck> checks = new ArrayList<>();
        checks.add(promptTokens.check("prompt_tokens", values(live, RequestFeatures::promptTokens), thresholds));
        checks.add(responseTokens.check("response_tokens", values(live, RequestFeatures::responseTokens), thresholds));
        checks.add(rareTokenShare.check("rare_token_share",
                values(live, f -> rareTokens.shareOf(f.promptTokenIds())), thresholds));
        checks.add(categorical("refusal", refusals, refusalsOf(live), thresholds));
        checks.add(categorical("prompt_characters", characters, charactersOf(live), thresholds));
        double[] liveCentroid = centroidOf(live);
        if (embeddingCentroid != null && liveCentroid != null) {
            double distance = CentroidDistance.cosineDistance(embeddingCentroid, liveCentroid);
            checks.add(FeatureCheck.of("prompt_embedding", FeatureCheck.Histogram.NONE,
                    FeatureCheck.Statistic.above("centroid_cosine", distance, thresholds.centroidDistance())));
        }
        return checks;
    }

    /** A numeric feature: its reference values and the PSI bins they fix. */
    private static final class Numeric {
        private final double[] reference;
        private final Psi psi;

        Numeric(double[] reference) {
            this.reference = reference;
            this.psi = Psi.ofReference(reference);
        }

        FeatureCheck check(String feature, double[] live, DriftThresholds thresholds) {
            KolmogorovSmirnov.Result ks = KolmogorovSmirnov.test(reference, live);
            return FeatureCheck.of(feature, histogram(live),
                    FeatureCheck.Statistic.above("psi", psi.indexOf(live), thresholds.psi()),
                    FeatureCheck.Statistic.below("ks_p_value", ks.pValue(), thresholds.ksPValue()));
        }

        private FeatureCheck.Histogram histogram(double[] live) {
            double[] edges = psi.edges();
            List<String> bins = new ArrayList<>();
            bins.add("< " + format(edges[0]));
            for (int i = 1; i < edges.length; i++) {
                // The edge Psi adds just above a top value bounds a bin that holds that value alone.
                bins.add(edges[i] == Math.nextUp(edges[i - 1]) ? "= " + format(edges[i - 1])
                        : "[" + format(edges[i - 1]) + ", " + format(edges[i]) + ")");
            }
            int last = edges.length - 1;
            bins.add(last > 0 && edges[last] == Math.nextUp(edges[last - 1]) ? "> " + format(edges[last - 1])
                    : ">= " + format(edges[last]));
            return new FeatureCheck.Histogram(bins, psi.sharesOf(reference), psi.sharesOf(live));
        }

        private static String format(double edge) {
            return edge == Math.rint(edge) && Math.abs(edge) < 1e15 ? Long.toString((long) edge)
                    : String.format(Locale.ROOT, "%.4g", edge);
        }
    }

    private static <K extends Comparable<K>> FeatureCheck categorical(String feature, Map<K, Long> reference,
                                                                      Map<K, Long> live, DriftThresholds thresholds) {
        double distance = total(reference) == 0 || total(live) == 0 ? 0 : JensenShannon.distance(reference, live);
        TreeMap<K, Long> categories = new TreeMap<>(reference);
        live.keySet().forEach(k -> categories.putIfAbsent(k, 0L));
        List<String> bins = categories.keySet().stream().map(k -> k.toString().toLowerCase(Locale.ROOT))
                .toList();
        return FeatureCheck.of(feature, new FeatureCheck.Histogram(bins, shares(categories.keySet(), reference),
                        shares(categories.keySet(), live)),
                FeatureCheck.Statistic.above("jensen_shannon", distance, thresholds.jensenShannon()));
    }

    private static <K> double[] shares(Iterable<K> categories, Map<K, Long> counts) {
        long total = total(counts);
        List<Double> shares = new ArrayList<>();
        for (K k : categories) shares.add(total == 0 ? 0 : counts.getOrDefault(k, 0L) / (double) total);
        return shares.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static long total(Map<?, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private static double[] values(List<RequestFeatures> sample, ToDoubleFunction<RequestFeatures> feature) {
        return sample.stream().mapToDouble(feature).toArray();
    }

    private static Map<String, Long> refusalsOf(List<RequestFeatures> sample) {
        long refused = sample.stream().filter(RequestFeatures::refusal).count();
        return Map.of(REFUSED, refused, ANSWERED, sample.size() - refused);
    }

    private static Map<CharacterClass, Long> charactersOf(List<RequestFeatures> sample) {
        Map<CharacterClass, Long> sum = new EnumMap<>(CharacterClass.class);
        for (RequestFeatures f : sample) f.promptCharacters().forEach((k, v) -> sum.merge(k, v, Long::sum));
        return sum;
    }

    /**
     * The centroid of the sample's embeddings (only some requests are embedded), or null with fewer than
     * {@value #MIN_EMBEDDINGS} of them (embeddings off).
     */
    private static double[] centroidOf(List<RequestFeatures> sample) {
        List<float[]> embeddings = sample.stream().map(RequestFeatures::promptEmbedding).filter(Objects::nonNull)
                .toList();
        return embeddings.size() < MIN_EMBEDDINGS ? null : CentroidDistance.centroid(embeddings);
    }
}
