package dev.anvil.trainer.job;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A job this instance holds, and how it is asked to stop: cancelled (by a user; it ends as cancelled) or handed
 * back (the instance is shutting down or lost the lease; it stops at its next step, checkpointed, and stays
 * unfinished for an instance to resume).
 */
final class RunningJob {
    final String jobId;
    private final AtomicBoolean stop = new AtomicBoolean();
    private volatile boolean handedBack;

    RunningJob(String jobId) {
        this.jobId = jobId;
    }

    void cancel() {
        stop.set(true);
    }

    void handBack() {
        handedBack = true;
        stop.set(true);
    }

    /** Polled by the recipe before every step. */
    boolean stopRequested() {
        return stop.get();
    }

    boolean handedBack() {
        return handedBack;
    }
}
