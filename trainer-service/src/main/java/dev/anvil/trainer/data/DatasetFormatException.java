package dev.anvil.trainer.data;

import java.nio.file.Path;

/** A dataset file that cannot be used for training; the message names the file and the 1-based line. */
public final class DatasetFormatException extends RuntimeException {

    public DatasetFormatException(Path file, long line, String problem) {
        super(file + " line " + line + ": " + problem);
    }
}
