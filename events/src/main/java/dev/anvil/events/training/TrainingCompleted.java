package dev.anvil.events.training;

import dev.anvil.events.EventData;
import dev.anvil.events.Require;

import java.util.Map;

/**
 * A job finished; its best step's weights are the result.
 *
 * @param adapterPath     the PEFT-layout adapter folder, data-dir relative ({@code runs/<jobId>/adapter}); null for
 *                        full fine-tuning, which has no adapter
 * @param mergedModelPath a model in Hugging Face layout ({@code runs/<jobId>/merged} when a merge was asked for,
 *                        {@code runs/<jobId>/model} for full fine-tuning), or null
 * @param metrics         final metrics such as {@code trainLoss}, {@code validationLoss}
 * @param route           the request's {@link TrainingRequested#route() route}, or null when it named none
 */
public record TrainingCompleted(String jobId, String baseModel, DatasetRef dataset, TrainingMethod method,
                                String adapterPath, String mergedModelPath, long bestStep,
                                Map<String, Double> metrics, String route) implements EventData {

    public TrainingCompleted(String jobId, String baseModel, DatasetRef dataset, TrainingMethod method,
                             String adapterPath, String mergedModelPath, long bestStep, Map<String, Double> metrics) {
        this(jobId, baseModel, dataset, method, adapterPath, mergedModelPath, bestStep, metrics, null);
    }

    public TrainingCompleted {
        Require.present(jobId, "jobId");
        Require.present(baseModel, "baseModel");
        if (adapterPath == null) Require.present(mergedModelPath, "adapterPath or mergedModelPath");
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        Require.optionalDataName(route, "route");
    }

    @Override
    public String subject() {
        return jobId;
    }
}
