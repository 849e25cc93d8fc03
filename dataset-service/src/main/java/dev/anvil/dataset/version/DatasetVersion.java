package dev.anvil.dataset.version;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.anvil.dataset.JsonColumns;
import dev.anvil.dataset.clean.CleaningReport;
import dev.anvil.dataset.clean.CleaningSettings;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One immutable version of a dataset and its lineage. {@code (dataset, sequence)} is unique, so two writers that
 * both read the same latest version cannot both append a child of it: the second one fails and retries.
 */
@Entity
@Table(name = "dataset_version")
public class DatasetVersion extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "dataset_name", nullable = false, length = 128)
    public String dataset;

    @Column(name = "version_id", nullable = false, length = 64)
    public String version;

    /** 1 for a dataset's first version, then +1 per version: the order of the lineage. */
    @Column(name = "seq", nullable = false)
    public int sequence;

    @Column(name = "parent_version", length = 64)
    public String parent;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "input_records", nullable = false)
    public long input;

    @Column(name = "accepted_records", nullable = false)
    public long accepted;

    @Column(name = "train_records", nullable = false)
    public long train;

    @Column(name = "validation_records", nullable = false)
    public long validation;

    @Column(name = "pii_redacted", nullable = false)
    public long piiRedacted;

    @Column(name = "conflicts", nullable = false)
    public long conflicts;

    @Column(name = "removed_json", nullable = false)
    public String removedJson;

    @Column(name = "stats_json", nullable = false)
    public String statsJson;

    @Column(name = "settings_json", nullable = false)
    public String settingsJson;

    public static DatasetVersion create(String dataset, String version, int sequence, String parent,
                                        Instant createdAt, CleaningReport report, CleaningSettings settings) {
        DatasetVersion row = new DatasetVersion();
        row.dataset = dataset;
        row.version = version;
        row.sequence = sequence;
        row.parent = parent;
        row.createdAt = createdAt;
        row.input = report.input();
        row.accepted = report.accepted();
        row.train = report.train();
        row.validation = report.validation();
        row.piiRedacted = report.piiRedacted();
        row.conflicts = report.conflicts();
        row.removedJson = write(report.removed());
        row.statsJson = write(report.stats());
        row.settingsJson = write(settings);
        return row;
    }

    public static Optional<DatasetVersion> find(String dataset, String version) {
        return find("dataset = ?1 and version = ?2", dataset, version).firstResultOptional();
    }

    public static Optional<DatasetVersion> latest(String dataset) {
        return find("dataset", Sort.descending("sequence"), dataset).firstResultOptional();
    }

    /** The latest version of every dataset. */
    public static List<DatasetVersion> latestOfEach() {
        return list("from DatasetVersion v where v.sequence = "
                + "(select max(w.sequence) from DatasetVersion w where w.dataset = v.dataset)");
    }

    public static List<DatasetVersion> lineage(String dataset) {
        return list("dataset", Sort.ascending("sequence"), dataset);
    }

    public DatasetVersionView toView(String location) {
        return new DatasetVersionView(dataset, version, parent,
                new DatasetVersionView.RecordCounts(input, accepted, train, validation),
                read(removedJson, new TypeReference<>() {
                }), piiRedacted, conflicts, read(statsJson, new TypeReference<>() {
                }), read(settingsJson, new TypeReference<CleaningSettings>() {
                }), createdAt, sequence, location);
    }

    private static String write(Object value) {
        return JsonColumns.write(value, "a dataset version's column");
    }

    private static <T> T read(String json, TypeReference<T> type) {
        return JsonColumns.read(json, type, "a dataset version's column");
    }
}
