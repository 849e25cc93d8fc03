package dev.anvil.events.datadir;

import java.nio.file.Path;

/**
 * The files of one dataset version: {@code datasets/<name>/<version>/} once stored, or the work folder it is
 * written in before it moves into place ({@link #in}). {@code train.jsonl} and {@code validation.jsonl} hold one
 * canonical record a line ({@link dev.anvil.events.records.CanonicalRecord}).
 */
public record DatasetVersionFiles(Path dir) {
    public static final String TRAIN = "train.jsonl";
    public static final String VALIDATION = "validation.jsonl";
    public static final String REJECTS = "rejects.jsonl";
    public static final String MANIFEST = "manifest.json";

    /** The files of a version laid out in {@code dir}, e.g. a work folder that is not yet in place. */
    public static DatasetVersionFiles in(Path dir) {
        return new DatasetVersionFiles(dir);
    }

    public Path train() {
        return dir.resolve(TRAIN);
    }

    /** The validation split; a version without one may lack the file. */
    public Path validation() {
        return dir.resolve(VALIDATION);
    }

    /** The records the cleaning removed, one {@code {"line","reason","detail"}} a line. */
    public Path rejects() {
        return dir.resolve(REJECTS);
    }

    public Path manifest() {
        return dir.resolve(MANIFEST);
    }
}
