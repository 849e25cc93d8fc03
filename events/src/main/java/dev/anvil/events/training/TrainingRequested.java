package dev.anvil.events.training;

import dev.anvil.events.EventData;
import dev.anvil.events.Require;

/**
 * Asks for a fine-tuning job. Idempotent by {@code jobId}: a second request with the same id changes nothing.
 *
 * @param baseModel a model folder name under the data directory's {@code models/}, or a path
 * @param method    null means {@link TrainingMethod#QLORA}
 */
public record TrainingRequested(String jobId, String baseModel, DatasetRef dataset, TrainingMethod method,
                                Hyperparameters hyperparameters) implements EventData {

    public TrainingRequested {
        Require.present(jobId, "jobId");
        Require.present(baseModel, "baseModel");
        Require.present(dataset, "dataset");
        method = method == null ? TrainingMethod.QLORA : method;
        hyperparameters = hyperparameters == null ? Hyperparameters.none() : hyperparameters;
    }

    @Override
    public String subject() {
        return jobId;
    }
}
