package dev.anvil.events.evaluation;

import dev.anvil.events.EventData;
import dev.anvil.events.Require;

import java.util.List;
import java.util.Map;

/**
 * The evaluation of a trained version against its base.
 *
 * @param modelVersion the evaluated version (the training job id)
 * @param metrics      the version's metrics, e.g. {@code perplexity}, {@code exactMatch}
 * @param baseMetrics  the same metrics of the base model
 * @param reasons      why the verdict is what it is, one line per check
 * @param reportPath   the side-by-side report, data-dir relative
 * @param route        the route the evaluated version is meant for: the one its TrainingCompleted (from its
 *                     TrainingRequested) named; null when the training request named none, and for an ad-hoc
 *                     evaluation whose request named none
 */
public record EvaluationCompleted(String evaluationId, String modelVersion, String baseModel, String adapterPath,
                                  Map<String, Double> metrics, Map<String, Double> baseMetrics, Verdict verdict,
                                  List<String> reasons, String reportPath, String route) implements EventData {

    public EvaluationCompleted(String evaluationId, String modelVersion, String baseModel, String adapterPath,
                               Map<String, Double> metrics, Map<String, Double> baseMetrics, Verdict verdict,
                               List<String> reasons, String reportPath) {
        this(evaluationId, modelVersion, baseModel, adapterPath, metrics, baseMetrics, verdict, reasons, reportPath,
                null);
    }

    public EvaluationCompleted {
        Require.present(evaluationId, "evaluationId");
        Require.present(modelVersion, "modelVersion");
        Require.present(baseModel, "baseModel");
        Require.present(verdict, "verdict");
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        baseMetrics = baseMetrics == null ? Map.of() : Map.copyOf(baseMetrics);
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
        Require.optionalDataName(route, "route");
    }

    @Override
    public String subject() {
        return modelVersion;
    }
}
