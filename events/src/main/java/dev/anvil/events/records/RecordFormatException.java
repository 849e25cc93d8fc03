package dev.anvil.events.records;

import java.nio.file.Path;

/** A line of a record file that is not a canonical record; the message names the file and the 1-based line. */
public class RecordFormatException extends RuntimeException {
    private final String problem;

    /** A problem of one line, before it is known where the line came from. */
    public RecordFormatException(String problem) {
        super(problem);
        this.problem = problem;
    }

    public RecordFormatException(Path file, long line, String problem) {
        super(file + " line " + line + ": " + problem);
        this.problem = problem;
    }

    /** What is wrong, without the place. */
    public String problem() {
        return problem;
    }
}
