package dev.anvil.trainer.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.anvil.trainer.tracking.ExperimentView;

import java.util.Locale;

/**
 * One job as {@code GET /jobs/{id}} shows it: the job's fields and, beside them, its experiment record
 * ({@code baseModelSha256, config, latest, artifacts, timings, result}).
 */
public record JobDetails(@JsonUnwrapped JobView job, @JsonUnwrapped ExperimentView experiment) {

    @JsonIgnore
    public boolean isFinal() {
        return JobStatus.valueOf(job.status().toUpperCase(Locale.ROOT)).isFinal();
    }
}
