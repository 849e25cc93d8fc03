package dev.anvil.dataset.retrain;

import dev.anvil.dataset.clean.CleaningSettings;
import dev.anvil.dataset.ingest.UploadFormat;
import dev.anvil.dataset.version.DatasetCatalog;
import dev.anvil.dataset.version.DatasetVersionService;
import dev.anvil.dataset.version.DatasetVersionView;
import dev.anvil.dataset.version.Upload;
import dev.anvil.dataset.version.VersionCommitter;
import dev.anvil.dataset.version.VersionStore;
import dev.anvil.events.datadir.DatasetVersionFiles;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/**
 * Makes a retraining's child version: the fresh traffic, then the parent version's records, through the same
 * cleaning (PII anonymisation, dedup, conflicts, split) and versioning as any upload, with the parent recorded as
 * its parent. The traffic comes first so that, under keep-first, a user's correction wins over the parent's older
 * answer to the same prompt.
 */
@ApplicationScoped
public class ChildVersions {

    private final DatasetCatalog catalog;
    private final DatasetVersionService versions;
    private final VersionStore store;

    public ChildVersions(DatasetCatalog catalog, DatasetVersionService versions, VersionStore store) {
        this.catalog = catalog;
        this.versions = versions;
        this.store = store;
    }

    public VersionCommitter.Committed create(String dataset, String parentVersion, Path traffic) throws IOException {
        // Read in a transaction of its own: a Kafka handler's thread has no request context to borrow one from.
        DatasetVersionView parent = QuarkusTransaction.requiringNew().call(() -> catalog.version(dataset,
                parentVersion));
        Path train = store.versionFile(dataset, parent.version(), DatasetVersionFiles.TRAIN);
        Path validation = store.versionFile(dataset, parent.version(), DatasetVersionFiles.VALIDATION);
        try (InputStream records = new SequenceInputStream(Collections.enumeration(List.of(
                Files.newInputStream(traffic), Files.newInputStream(train), Files.newInputStream(validation))))) {
            return versions.create(dataset, Upload.of(records, UploadFormat.JSON), settingsFrom(parent), parentVersion);
        }
    }

    /** The parent's cleaning, never strict: one bad traffic record is removed, not a reason to refuse the rest. */
    private static CleaningSettings settingsFrom(DatasetVersionView parent) {
        CleaningSettings s = parent.settings();
        return new CleaningSettings(s.validationFraction(), s.seed(), false, s.nearDuplicateThreshold(),
                s.maxRecordChars(), s.conflictPolicy());
    }
}
