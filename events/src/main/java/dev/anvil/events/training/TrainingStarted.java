package dev.anvil.events.training;

import dev.anvil.events.EventData;
import dev.anvil.events.Require;

/**
 * A job began, or resumed after a restart.
 *
 * @param resumedFromStep the checkpoint step it resumed from, or 0 for a fresh start
 * @param totalSteps      the optimizer steps the job plans to run
 */
public record TrainingStarted(String jobId, long resumedFromStep, long totalSteps) implements EventData {
    public TrainingStarted {
        Require.present(jobId, "jobId");
    }

    @Override
    public String subject() {
        return jobId;
    }
}
