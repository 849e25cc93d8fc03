package dev.anvil.trainer.job;

/**
 * This instance no longer holds a job it was running: its lease expired (no heartbeat for longer than the lease,
 * e.g. the database was unreachable) and another instance claimed the job, or the job was handed back. The runner
 * stops without writing anything; the new owner resumes from the last checkpoint.
 */
public class LeaseLostException extends RuntimeException {
    public LeaseLostException(String jobId, String instance, String owner) {
        super("job " + jobId + " is no longer held by " + instance + " (owner now: " + owner + ")");
    }
}
