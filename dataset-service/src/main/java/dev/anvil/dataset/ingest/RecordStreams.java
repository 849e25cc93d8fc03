package dev.anvil.dataset.ingest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Opens the right reader for an upload. */
public final class RecordStreams {
    /** How far ahead we look for the first non-whitespace byte that tells JSON Lines from a JSON array. */
    private static final int SNIFF_BYTES = 1 << 16;

    private RecordStreams() {
    }

    /**
     * A JSON upload is one JSON array of records when its first non-whitespace byte (after an optional UTF-8 byte
     * order mark) is {@code [}, JSON Lines otherwise.
     */
    public static RecordStream open(InputStream in, UploadFormat format, long maxLineBytes) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, SNIFF_BYTES);
        return switch (format) {
            case CSV -> new CsvRecordStream(buffered, maxLineBytes);
            case JSON -> startsWithArray(buffered)
                    ? new JsonArrayRecordStream(buffered, maxLineBytes)
                    : new JsonLinesRecordStream(buffered, maxLineBytes);
        };
    }

    private static boolean startsWithArray(BufferedInputStream in) throws IOException {
        in.mark(SNIFF_BYTES);
        try {
            for (int i = 0; i < SNIFF_BYTES; i++) {
                int b = in.read();
                if (b < 0) {
                    return false;
                }
                boolean bom = i < 3 && (b == 0xEF || b == 0xBB || b == 0xBF);
                if (!bom && b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                    return b == '[';
                }
            }
            return false;
        } finally {
            in.reset();
        }
    }
}
