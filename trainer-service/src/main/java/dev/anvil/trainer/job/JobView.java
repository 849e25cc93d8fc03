package dev.anvil.trainer.job;

import java.time.Instant;

/** A job as the REST API shows it; {@code owner} and {@code heartbeatAt} are its lease (the instance running it). */
public record JobView(String jobId, String status, String baseModel, String dataset, String datasetVersion,
                      String method, long step, long totalSteps, String reason, String adapterPath,
                      Instant createdAt, Instant updatedAt, String owner, Instant heartbeatAt) {

    static JobView of(TrainingJob job) {
        return new JobView(job.id, job.status.wireName(), job.baseModel, job.datasetName, job.datasetVersion,
                job.method, job.step, job.totalSteps, job.reason, job.adapterPath, job.createdAt, job.updatedAt,
                job.owner, job.heartbeatAt);
    }
}
