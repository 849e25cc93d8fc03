package dev.anvil.events.training;

import dev.anvil.events.EventData;
import dev.anvil.events.Require;

/** A job was refused or broke; {@code reason} says what to fix. */
public record TrainingFailed(String jobId, String reason) implements EventData {
    public TrainingFailed {
        Require.present(jobId, "jobId");
        Require.present(reason, "reason");
    }

    @Override
    public String subject() {
        return jobId;
    }
}
