package dev.anvil.events.datadir;

import java.nio.file.Path;

/**
 * The shared layout of the data directory, the one place where its folder and file names are spelled:
 * <pre>
 * datasets/&lt;name&gt;/&lt;version&gt;/   {@link DatasetVersionFiles}: train.jsonl, validation.jsonl, rejects.jsonl, manifest.json
 * runs/&lt;jobId&gt;/                {@link RunFiles}: adapter/, merged/, model/, best/, checkpoints/, metrics.jsonl
 * models/&lt;name&gt;/                a model in Hugging Face layout
 * tmp/                          work folders of writes in progress (same file system, so they move into place atomically)
 * </pre>
 * Every name is checked by {@link DataNames} and every path is confined: whatever a request says, nothing handed
 * out here lies outside the root.
 */
public final class DataDirectory {
    static final String DATASETS = "datasets";
    static final String RUNS = "runs";
    static final String MODELS = "models";
    static final String TMP = "tmp";

    private final Path root;

    public DataDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** {@code datasets/<name>/<version>/}. */
    public DatasetVersionFiles datasetVersion(String name, String version) {
        return new DatasetVersionFiles(confined(root.resolve(DATASETS)
                .resolve(DataNames.require(name, "dataset.name"))
                .resolve(DataNames.require(version, "dataset.version")), "dataset"));
    }

    /** {@code runs/<jobId>/}. */
    public RunFiles run(String jobId) {
        return new RunFiles(confined(root.resolve(RUNS).resolve(DataNames.require(jobId, "jobId")), "jobId"));
    }

    /** {@code models/<name>/}. */
    public Path model(String name) {
        return confined(root.resolve(MODELS).resolve(DataNames.require(name, "model")), "model");
    }

    /** {@code tmp/}: where work folders are made before they move into place. */
    public Path tmp() {
        return root.resolve(TMP);
    }

    /** {@code path} relative to the root with {@code /} separators, as events and manifests carry locations. */
    public String relative(Path path) {
        return root.relativize(confined(path, "path")).toString().replace('\\', '/');
    }

    /**
     * {@code path} normalised, when it lies inside the root. The name rule already keeps names inside; this is
     * the check that holds whatever built the path.
     */
    public Path confined(Path path, String field) {
        Path normalized = root.resolve(path).normalize();
        if (!normalized.startsWith(root)) {
            throw new InvalidDataNameException(field + " leads outside the data directory");
        }
        return normalized;
    }
}
