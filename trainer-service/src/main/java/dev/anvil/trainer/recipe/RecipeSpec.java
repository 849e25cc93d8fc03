package dev.anvil.trainer.recipe;

import java.nio.file.Path;

import dev.anvil.events.datadir.DatasetVersionFiles;
import dev.anvil.events.datadir.RunFiles;
import dev.anvil.events.training.Hyperparameters;
import dev.anvil.events.training.TrainingMethod;
import dev.anvil.llm.torch.ComputeDevice;

/**
 * What one fine-tuning run needs, with paths already resolved and confined by the caller (the service maps a
 * TrainingRequested onto its data directory): the base model folder, the dataset version folder and
 * {@code runs/<jobId>/}. Missing hyper-parameters take {@link Hyperparameters#DEFAULTS}. The device is the
 * service's ({@code anvil.trainer.device}), not the request's: CPU unless given.
 */
public record RecipeSpec(String jobId, Path baseModel, Path datasetVersion, Path runDir, TrainingMethod method,
                         Hyperparameters hyperparameters, ComputeDevice device) {

    public RecipeSpec {
        if (jobId == null || jobId.isBlank()) throw new IllegalArgumentException("jobId is required");
        method = method == null ? TrainingMethod.QLORA : method;
        hyperparameters = (hyperparameters == null ? Hyperparameters.none() : hyperparameters).withDefaults();
        device = device == null ? ComputeDevice.CPU : device;
    }

    /** A run on the CPU. */
    public RecipeSpec(String jobId, Path baseModel, Path datasetVersion, Path runDir, TrainingMethod method,
                      Hyperparameters hyperparameters) {
        this(jobId, baseModel, datasetVersion, runDir, method, hyperparameters, ComputeDevice.CPU);
    }

    /** The files of {@code runs/<jobId>/} in the data directory's shared layout. */
    public RunFiles run() {
        return new RunFiles(runDir);
    }

    /** The files of the dataset version, in the shared layout. */
    public DatasetVersionFiles datasetFiles() {
        return new DatasetVersionFiles(datasetVersion);
    }

    /** {@code runs/<jobId>/metrics.jsonl}: one JSON object per optimizer step. */
    public Path metricsFile() {
        return run().metrics();
    }

    /** {@code runs/<jobId>/best/}: the weights of the best validation step so far. */
    public Path bestDir() {
        return run().best();
    }
}
