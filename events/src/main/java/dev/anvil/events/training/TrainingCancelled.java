package dev.anvil.events.training;

import dev.anvil.events.EventData;
import dev.anvil.events.Require;

/** A job was cancelled on request, at optimizer step {@code step}. */
public record TrainingCancelled(String jobId, long step) implements EventData {
    public TrainingCancelled {
        Require.present(jobId, "jobId");
    }

    @Override
    public String subject() {
        return jobId;
    }
}
