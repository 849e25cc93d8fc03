package dev.anvil.dataset.version;

import dev.anvil.dataset.InvalidInputException;
import dev.anvil.dataset.clean.CleaningReport;
import dev.anvil.dataset.clean.CleaningSettings;
import dev.anvil.dataset.outbox.OutboxRelay;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Creates dataset versions: cleans an upload into a private work folder (in parallel with other uploads), derives
 * the content address, then commits under the dataset's lock. Uploads and synthetic requests both come here.
 */
@ApplicationScoped
public class DatasetVersionService {

    private static final Logger LOG = Logger.getLogger(DatasetVersionService.class);

    private final VersionStore store;
    private final CleaningPipelineFactory pipelines;
    private final DatasetLocks locks;
    private final VersionCommitter committer;
    private final OutboxRelay relay;
    private final MeterRegistry metrics;

    public DatasetVersionService(VersionStore store, CleaningPipelineFactory pipelines, DatasetLocks locks,
                                 VersionCommitter committer, OutboxRelay relay, MeterRegistry metrics) {
        this.store = store;
        this.pipelines = pipelines;
        this.locks = locks;
        this.committer = committer;
        this.relay = relay;
        this.metrics = metrics;
    }

    /**
     * Cleans {@code upload} into a new version of {@code dataset}, or finds the existing version with the same
     * content.
     */
    public VersionCommitter.Committed create(String dataset, Upload upload, CleaningSettings settings) {
        return create(dataset, upload, settings, null);
    }

    /**
     * Like {@link #create(String, Upload, CleaningSettings)}, for a version derived from {@code parent} rather than
     * from the dataset's latest version (a retraining's child of the version its model was trained on).
     */
    public VersionCommitter.Committed create(String dataset, Upload upload, CleaningSettings settings,
                                             String parent) {
        DatasetNames.requireValidName(dataset);
        Timer.Sample timing = Timer.start(metrics);
        Path workDir = store.newWorkDir();
        try {
            CleaningReport report = clean(upload, settings, workDir);
            ContentAddress address = ContentAddress.of(workDir);
            VersionCommitter.Committed committed = locks.withLock(dataset,
                    () -> committer.commit(dataset, workDir, address, report, settings, parent));
            if (committed.created()) {
                relay.wakeUp();
                LOG.infof("dataset %s: version %s created (%d train, %d validation, parent %s)", dataset,
                        address.versionId(), report.train(), report.validation(), committed.version().parent());
            }
            metrics.counter("anvil.dataset.uploads", "outcome", committed.created() ? "created" : "existing")
                    .increment();
            if (committed.created()) countRecords(report);
            return committed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            metrics.counter("anvil.dataset.uploads", "outcome", "refused").increment();
            throw e;
        } finally {
            timing.stop(metrics.timer("anvil.dataset.upload.duration"));
            try {
                VersionStore.deleteRecursively(workDir);
            } catch (IOException e) {
                LOG.warnf(e, "could not remove the work folder %s", workDir);
            }
        }
    }

    /**
     * The records of a new version: read, kept, and removed by rule (a bounded set: {@code Rejection}'s reasons). An
     * upload of content that is already a version adds nothing here; it counts as an upload only.
     */
    private void countRecords(CleaningReport report) {
        metrics.counter("anvil.dataset.records.input").increment(report.input());
        metrics.counter("anvil.dataset.records.accepted").increment(report.accepted());
        report.removed().forEach((reason, count) ->
                metrics.counter("anvil.dataset.records.removed", "reason", reason).increment(count));
    }

    private CleaningReport clean(Upload upload, CleaningSettings settings, Path workDir) throws IOException {
        try {
            return pipelines.create(settings)
                    .run(upload.data(), upload.format(), upload.validation(), upload.validationFormat(), workDir);
        } catch (IllegalArgumentException unreadable) {
            // The pipeline's word for input it cannot read as a whole (e.g. a CSV header row).
            throw new InvalidInputException(unreadable.getMessage());
        }
    }
}
