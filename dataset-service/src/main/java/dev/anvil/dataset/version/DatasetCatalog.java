package dev.anvil.dataset.version;

import dev.anvil.dataset.UnknownResourceException;
import dev.anvil.events.datadir.DatasetVersionFiles;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The read side: datasets, their lineage, and the files of a version. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class DatasetCatalog {

    /** The stored files a client may download. */
    public static final Set<String> DOWNLOADABLE = Set.of(DatasetVersionFiles.TRAIN,
            DatasetVersionFiles.VALIDATION);

    private final VersionStore store;

    public DatasetCatalog(VersionStore store) {
        this.store = store;
    }

    /** A dataset in the listing: its name, creation time, number of versions and latest version. */
    public record DatasetSummary(String name, Instant createdAt, long versions, String latestVersion) {
    }

    public List<DatasetSummary> datasets() {
        Map<String, DatasetVersion> latest = DatasetVersion.latestOfEach().stream()
                .collect(Collectors.toMap(v -> v.dataset, Function.identity()));
        return Dataset.<Dataset>listAll(Sort.ascending("name")).stream()
                .map(d -> {
                    DatasetVersion last = latest.get(d.name);
                    // Sequences run 1, 2, 3... without gaps, so the latest one is the number of versions.
                    return new DatasetSummary(d.name, d.createdAt, last == null ? 0 : last.sequence,
                            last == null ? null : last.version);
                })
                .toList();
    }

    /** The versions of a dataset, oldest first. */
    public List<DatasetVersionView> versions(String dataset) {
        DatasetNames.requireValidName(dataset);
        if (Dataset.findById(dataset) == null) {
            throw new UnknownResourceException("no dataset named '" + dataset + "'");
        }
        return DatasetVersion.lineage(dataset).stream().map(toView()).toList();
    }

    public DatasetVersionView version(String dataset, String version) {
        return toView().apply(row(dataset, version));
    }

    /** A stored file of an existing version: {@code rejects.jsonl} or one of {@link #DOWNLOADABLE}. */
    public Path file(String dataset, String version, String fileName) {
        if (!DOWNLOADABLE.contains(fileName) && !DatasetVersionFiles.REJECTS.equals(fileName)) {
            throw new UnknownResourceException("version " + version + " of dataset '" + dataset
                    + "' has no file '" + fileName + "'; files are " + DOWNLOADABLE);
        }
        DatasetVersion row = row(dataset, version);
        return store.versionFile(row.dataset, row.version, fileName);
    }

    private DatasetVersion row(String dataset, String version) {
        DatasetNames.requireValidName(dataset);
        if (!DatasetNames.isVersionId(version)) {
            throw new UnknownResourceException("dataset '" + dataset + "' has no version '" + version + "'");
        }
        return DatasetVersion.find(dataset, version).orElseThrow(() ->
                new UnknownResourceException("dataset '" + dataset + "' has no version '" + version + "'"));
    }

    private Function<DatasetVersion, DatasetVersionView> toView() {
        return row -> row.toView(store.location(row.dataset, row.version));
    }
}
