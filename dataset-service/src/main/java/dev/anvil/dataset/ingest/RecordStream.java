package dev.anvil.dataset.ingest;

import java.io.Closeable;
import java.io.IOException;

/** Records of one upload, read one at a time so that memory does not depend on the file's size. */
public interface RecordStream extends Closeable {
    /**
     * The next record, or null at the end of the input.
     *
     * @throws InputLimitExceededException a line or record larger than the configured bound
     */
    IngestedRecord next() throws IOException;
}
