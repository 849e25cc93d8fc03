package dev.anvil.dataset.version;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anvil.dataset.UniqueViolations;
import dev.anvil.dataset.clean.CleaningReport;
import dev.anvil.dataset.clean.CleaningSettings;
import dev.anvil.dataset.outbox.Outbox;
import dev.anvil.events.dataset.DatasetVersionCreated;
import dev.anvil.events.datadir.DatasetVersionFiles;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Turns a cleaned work folder into a version: in one database transaction it appends the version row (parent =
 * the dataset's latest version) and the {@code DatasetVersionCreated} outbox row, writes the manifest and renames
 * the folder into place, then commits. The rows are flushed before the rename, so a concurrent writer of the same
 * rows (another replica) blocks or fails on the unique keys before any folder moves; the event becomes visible to
 * the relay only with the commit, i.e. after the files are in place.
 */
@ApplicationScoped
public class VersionCommitter {

    private static final Logger LOG = Logger.getLogger(VersionCommitter.class);
    private static final int MAX_ATTEMPTS = 5;

    private final VersionStore store;
    private final Outbox outbox;
    private final ObjectMapper json;

    public VersionCommitter(VersionStore store, Outbox outbox, ObjectMapper json) {
        this.store = store;
        this.outbox = outbox;
        this.json = json;
    }

    /** The outcome of a commit: the version, and whether this call created it (false: it existed already). */
    public record Committed(DatasetVersionView version, boolean created) {
    }

    /**
     * @param parent the version this one derives from (a retraining's source version), or null for the dataset's
     *               latest version, as for an upload
     */
    public Committed commit(String dataset, Path workDir, ContentAddress address, CleaningReport report,
                            CleaningSettings settings, String parent) {
        for (int attempt = 1; ; attempt++) {
            boolean[] moved = {false};
            try {
                return QuarkusTransaction.requiringNew()
                        .call(() -> commitOnce(dataset, workDir, address, report, settings, parent, moved));
            } catch (RuntimeException e) {
                if (moved[0]) {
                    // The commit failed after the rename: the folder has no row and must not stay.
                    deleteQuietly(store.versionDir(dataset, address.versionId()));
                    throw e;
                }
                if (attempt >= MAX_ATTEMPTS || !UniqueViolations.isCause(e)) {
                    throw e;
                }
                LOG.debugf("dataset %s: another writer committed first (attempt %d), retrying", dataset, attempt);
            }
        }
    }

    private Committed commitOnce(String dataset, Path workDir, ContentAddress address, CleaningReport report,
                                 CleaningSettings settings, String parent, boolean[] moved) {
        String location = store.location(dataset, address.versionId());
        var existing = DatasetVersion.find(dataset, address.versionId());
        if (existing.isPresent()) {
            return new Committed(existing.get().toView(location), false);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (Dataset.findById(dataset) == null) {
            Dataset.create(dataset, now).persist();
        }
        var latest = DatasetVersion.latest(dataset);
        DatasetVersion row = DatasetVersion.create(dataset, address.versionId(),
                latest.map(v -> v.sequence + 1).orElse(1),
                parent != null ? parent : latest.map(v -> v.version).orElse(null), now,
                report, settings);
        row.persist();
        DatasetVersionView view = row.toView(location);
        outbox.enqueue(new DatasetVersionCreated(dataset, view.version(), view.parent(),
                new DatasetVersionCreated.RecordCounts(report.input(), report.accepted(), report.train(),
                        report.validation()), report.removed(), report.piiRedacted(), report.conflicts(), location));
        Panache.getEntityManager().flush();

        writeManifest(workDir, new Manifest(view, address.files()));
        store.moveIntoPlace(workDir, dataset, address.versionId());
        moved[0] = true;
        return new Committed(view, true);
    }

    private void writeManifest(Path workDir, Manifest manifest) {
        try {
            json.writerWithDefaultPrettyPrinter()
                    .writeValue(DatasetVersionFiles.in(workDir).manifest().toFile(), manifest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the manifest in " + workDir, e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            VersionStore.deleteRecursively(dir);
        } catch (IOException e) {
            LOG.warnf(e, "could not remove %s", dir);
        }
    }
}
