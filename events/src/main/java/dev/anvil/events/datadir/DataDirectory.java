package dev.anvil.events.datadir;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
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
    /** The longest path a request may name. */
    public static final int MAX_PATH = 1024;

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
     * A folder a request names by its data-dir relative path: at most {@link #MAX_PATH} characters, inside the root,
     * holding {@code file} (e.g. an adapter's {@code adapter_config.json}).
     *
     * @throws InvalidDataNameException naming {@code field} when it is not so
     */
    public Path existing(String value, String field, String file) {
        if (value.isBlank() || value.length() > MAX_PATH) {
            throw new InvalidDataNameException(field + " must be 1-" + MAX_PATH + " characters");
        }
        Path path;
        try {
            path = confined(Path.of(value), field);
        } catch (InvalidPathException e) {
            throw new InvalidDataNameException(field + " is not a path: " + e.getReason());
        }
        if (!Files.isRegularFile(path.resolve(file))) {
            String shown = value.length() <= 80 ? value : value.substring(0, 80) + "...";
            throw new InvalidDataNameException(field + " '" + shown + "' holds no " + file);
        }
        return path;
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
