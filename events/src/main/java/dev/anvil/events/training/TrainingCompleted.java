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
 */
public record TrainingCompleted(String jobId, String baseModel, DatasetRef dataset, TrainingMethod method,
                                String adapterPath, String mergedModelPath, long bestStep,
                                Map<String, Double> metrics) implements EventData {
    public TrainingCompleted {
        Require.present(jobId, "jobId");
        Require.present(baseModel, "baseModel");
        if (adapterPath == null) Require.present(mergedModelPath, "adapterPath or mergedModelPath");
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    @Override
    public String subject() {
        return jobId;
    }
}
