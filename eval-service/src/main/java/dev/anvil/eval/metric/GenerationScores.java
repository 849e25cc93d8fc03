package dev.anvil.eval.metric;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics of one test set.
 *
 * @param labels   whether the references were taken for class labels ({@link LabelReferences#areLabels}), so that
 *                 accuracy and macro F1 are included
 * @param corpus   metric name to corpus score, in {@link GenerationMetrics}' order
 * @param examples per pair, in input order: metric name to that pair's score (metrics that
 *                 {@link GenerationMetric#scoresExamples() score examples} only)
 */
public record GenerationScores(boolean labels, Map<String, Double> corpus, List<Map<String, Double>> examples) {

    public GenerationScores {
        corpus = ordered(corpus);
        examples = examples.stream().map(GenerationScores::ordered).toList();
    }

    private static Map<String, Double> ordered(Map<String, Double> scores) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(scores));
    }
}
