package dev.anvil.eval.metric;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every applicable metric of a list of (prediction, reference) pairs: always {@value ExactMatch#NAME},
 * {@value TokenF1#NAME}, {@value Bleu#NAME}, {@code rouge1}, {@code rouge2}, {@value RougeL#NAME}, {@value ChrF#NAME};
 * then {@value Accuracy#NAME} and {@value MacroF1#NAME} when the references are labels
 * ({@link LabelReferences#areLabels}). Names and order are stable: they are keys of stored results.
 */
public final class GenerationMetrics {

    private static final List<GenerationMetric> TEXT = List.of(new ExactMatch(), new TokenF1(), new Bleu(),
            new RougeN(1), new RougeN(2), new RougeL(), new ChrF());
    private static final List<GenerationMetric> LABEL = List.of(new Accuracy(), new MacroF1());

    private GenerationMetrics() {
    }

    /** The metrics that apply to a test set with these references, in reporting order. */
    public static List<GenerationMetric> applicable(List<String> references) {
        if (!LabelReferences.areLabels(references)) return TEXT;
        List<GenerationMetric> all = new ArrayList<>(TEXT);
        all.addAll(LABEL);
        return List.copyOf(all);
    }

    /**
     * Corpus and per-example scores of every applicable metric. An empty list gives 0 for every text metric and no
     * examples.
     *
     * @throws IllegalArgumentException when the lists differ in size
     */
    public static GenerationScores score(List<String> predictions, List<String> references) {
        GenerationMetric.requireAligned(predictions, references);
        boolean labels = LabelReferences.areLabels(references);
        List<GenerationMetric> metrics = applicable(references);
        Map<String, Double> corpus = new LinkedHashMap<>();
        for (GenerationMetric metric : metrics) corpus.put(metric.name(), metric.corpus(predictions, references));
        List<Map<String, Double>> examples = new ArrayList<>(predictions.size());
        for (int i = 0; i < predictions.size(); i++) {
            Map<String, Double> example = new LinkedHashMap<>();
            for (GenerationMetric metric : metrics) {
                if (metric.scoresExamples()) {
                    example.put(metric.name(), metric.sentence(predictions.get(i), references.get(i)));
                }
            }
            examples.add(example);
        }
        return new GenerationScores(labels, corpus, examples);
    }
}
