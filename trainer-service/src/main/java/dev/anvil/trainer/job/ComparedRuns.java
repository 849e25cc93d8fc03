package dev.anvil.trainer.job;

import dev.anvil.trainer.tracking.ExperimentView;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The runs on one dataset, best first ({@code GET /jobs?dataset=...}): the settings they all share once in
 * {@code common}, and per run only where it differs from the others.
 *
 * @param more whether more runs matched than {@code anvil.trainer.compare.max-runs}
 */
public record ComparedRuns(String dataset, String version, String status, Map<String, Object> common,
                           List<Run> runs, boolean more) {

    /**
     * @param differences the config values (dotted paths, e.g. {@code hyperparameters.learningRate}) that are not
     *                    the same in every run compared; null where this run has no such value
     */
    public record Run(String jobId, String status, String datasetVersion, Instant createdAt,
                      Map<String, Object> differences, String baseModelSha256, ExperimentView.Result result,
                      ExperimentView.Timings timings) {
    }
}
