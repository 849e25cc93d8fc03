package dev.anvil.dataset.clean;

import java.util.Map;

/**
 * What a cleaning run did: the numbers of the upload report.
 *
 * @param input       records read (including malformed ones)
 * @param accepted    records kept after cleaning ({@code train + validation})
 * @param removed     removed records by reason (see {@link Rejection})
 * @param piiRedacted PII spans replaced by placeholders
 * @param conflicts   records whose prompt had another answer before them
 * @param stats       descriptive statistics of the accepted records (per format counts, turns, lengths)
 */
public record CleaningReport(long input, long accepted, long train, long validation, Map<String, Long> removed,
                             long piiRedacted, long conflicts, Map<String, Object> stats) {
}
