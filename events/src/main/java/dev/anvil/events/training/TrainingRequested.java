package dev.anvil.events.training;

import dev.anvil.events.EventData;
import dev.anvil.events.Require;
import dev.anvil.events.datadir.DataNames;

/**
 * Asks for a fine-tuning job. Idempotent by {@code jobId}: a second request with the same id changes nothing.
 *
 * @param baseModel a model folder name under the data directory's {@code models/}, or a path
 * @param method    null means {@link TrainingMethod#QLORA}
 * @param merge     also write the adapter merged into the (unquantised) base weights as a Hugging Face model, for
 *                  runtimes that cannot load adapters; null means no. Full fine-tuning always writes a model.
 * @param route     the public model name the inference-gateway is to serve the trained version under (e.g.
 *                  {@code faq-assistant}), or null when the request does not say; a {@link DataNames} name. The
 *                  trainer copies it into {@link TrainingCompleted}, the eval-service into its EvaluationCompleted.
 */
public record TrainingRequested(String jobId, String baseModel, DatasetRef dataset, TrainingMethod method,
                                Hyperparameters hyperparameters, Boolean merge, String route) implements EventData {

    /** The longest job id: it is a folder name under {@code runs/} and the key of the trainer's job table. */
    public static final int MAX_JOB_ID = 128;
    /** The longest base model name or path the trainer keeps. */
    public static final int MAX_BASE_MODEL = 1_024;

    public TrainingRequested(String jobId, String baseModel, DatasetRef dataset, TrainingMethod method,
                             Hyperparameters hyperparameters) {
        this(jobId, baseModel, dataset, method, hyperparameters, null);
    }

    public TrainingRequested(String jobId, String baseModel, DatasetRef dataset, TrainingMethod method,
                             Hyperparameters hyperparameters, Boolean merge) {
        this(jobId, baseModel, dataset, method, hyperparameters, merge, null);
    }

    public TrainingRequested {
        Require.name(jobId, "jobId", MAX_JOB_ID);
        Require.name(baseModel, "baseModel", MAX_BASE_MODEL);
        Require.present(dataset, "dataset");
        method = method == null ? TrainingMethod.QLORA : method;
        hyperparameters = hyperparameters == null ? Hyperparameters.none() : hyperparameters;
        merge = merge != null && merge;
        Require.optionalDataName(route, "route");
    }

    @Override
    public String subject() {
        return jobId;
    }
}
