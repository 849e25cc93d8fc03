package dev.anvil.events.records;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Streams the canonical records of a file, one a line, blank lines skipped. Lines are bounded in length, so a
 * corrupt or hostile file fails with a message naming its line instead of exhausting memory; every problem is a
 * {@link RecordFormatException} naming the file and the line.
 */
public final class CanonicalRecordReader implements Closeable {
    /** The longest line read, in characters (UTF-16 units). */
    public static final int MAX_LINE_CHARS = 1 << 20;

    /** A record and the 1-based line it was read from. */
    public record Numbered(long line, CanonicalRecord record) {
    }

    private final Path file;
    private final BufferedReader in;
    private final StringBuilder line = new StringBuilder();
    private long number;

    private CanonicalRecordReader(Path file, BufferedReader in) {
        this.file = file;
        this.in = in;
    }

    public static CanonicalRecordReader open(Path file) throws IOException {
        return new CanonicalRecordReader(file, Files.newBufferedReader(file, StandardCharsets.UTF_8));
    }

    /** The next record, or {@code null} at the end of the file. */
    public Numbered next() {
        try {
            while (readBoundedLine()) {
                String text = line.toString();
                if (text.isBlank()) continue;
                try {
                    return new Numbered(number, CanonicalRecords.parse(text));
                } catch (RecordFormatException e) {
                    throw new RecordFormatException(file, number, e.problem());
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads the next line into {@code line} (without its line break); false at the end of the file. */
    private boolean readBoundedLine() throws IOException {
        line.setLength(0);
        int c = in.read();
        if (c < 0) return false;
        number++;
        while (c >= 0 && c != '\n') {
            if (line.length() == MAX_LINE_CHARS) {
                throw new RecordFormatException(file, number, "line longer than " + MAX_LINE_CHARS + " characters");
            }
            if (c != '\r') line.append((char) c);
            c = in.read();
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
