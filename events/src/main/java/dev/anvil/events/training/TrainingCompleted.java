package dev.anvil.events.training;

import dev.anvil.events.EventData;
import dev.anvil.events.Require;

import java.util.Map;

/**
 * A job finished; its best step's adapter is the result.
 *
 * @param adapterPath     the PEFT-layout adapter folder, data-dir relative ({@code runs/<jobId>/adapter})
 * @param mergedModelPath a merged model in Hugging Face layout, or null when none was asked for
 * @param metrics         final metrics such as {@code trainLoss}, {@code validationLoss}
 */
public record TrainingCompleted(String jobId, String baseModel, DatasetRef dataset, TrainingMethod method,
                                String adapterPath, String mergedModelPath, long bestStep,
                                Map<String, Double> metrics) implements EventData {
    public TrainingCompleted {
        Require.present(jobId, "jobId");
        Require.present(baseModel, "baseModel");
        Require.present(adapterPath, "adapterPath");
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    @Override
    public String subject() {
        return jobId;
    }
}
