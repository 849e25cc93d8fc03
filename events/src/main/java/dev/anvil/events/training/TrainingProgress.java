package dev.anvil.events.training;

import dev.anvil.events.EventData;
import dev.anvil.events.Require;

/**
 * Live progress of a job, every few optimizer steps.
 *
 * @param validationLoss null when no validation ran at this step
 * @param etaSeconds     the estimated time to completion
 */
public record TrainingProgress(String jobId, long step, long totalSteps, double epoch, double trainLoss,
                               Double validationLoss, double learningRate, double tokensPerSecond, double etaSeconds)
        implements EventData {
    public TrainingProgress {
        Require.present(jobId, "jobId");
    }

    @Override
    public String subject() {
        return jobId;
    }
}
