package dev.anvil.events.training;

import dev.anvil.events.EventData;
import dev.anvil.events.Require;

/** A checkpoint (adapter, optimizer, scheduler, RNG, data position) is in place; {@code path} is data-dir relative. */
public record CheckpointSaved(String jobId, long step, String path) implements EventData {
    public CheckpointSaved {
        Require.present(jobId, "jobId");
        Require.present(path, "path");
    }

    @Override
    public String subject() {
        return jobId;
    }
}
