package dev.anvil.eval.metric;

import java.util.List;

/**
 * A metric whose corpus score is the mean of its per-example scores, as the SQuAD script, rouge_score's
 * aggregation and scikit-learn's accuracy define it. An empty corpus scores 0 rather than NaN.
 */
abstract class MeanOfExampleScores implements GenerationMetric {

    @Override
    public final double corpus(List<String> predictions, List<String> references) {
        GenerationMetric.requireAligned(predictions, references);
        if (predictions.isEmpty()) return 0.0;
        double sum = 0;
        for (int i = 0; i < predictions.size(); i++) sum += sentence(predictions.get(i), references.get(i));
        return sum / predictions.size();
    }
}
