package dev.anvil.events.records;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writes a file of canonical records atomically: the lines go to a temporary file beside the target (same folder,
 * so the same file system), {@link #commit} flushes it, forces it to disk and renames it into place. A reader sees
 * the whole file or none; closing without a commit removes the temporary file.
 */
public final class CanonicalRecordWriter implements Closeable {
    private static final int BUFFER_CHARS = 1 << 16;

    private final Path target;
    private final Path temporary;
    private final FileChannel channel;
    private final Writer out;
    private boolean committed;

    private CanonicalRecordWriter(Path target) throws IOException {
        this.target = target;
        this.temporary = target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        this.channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        this.out = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel),
                StandardCharsets.UTF_8), BUFFER_CHARS);
    }

    /** A writer whose file appears at {@code target} on {@link #commit}, replacing what is there. */
    public static CanonicalRecordWriter create(Path target) throws IOException {
        return new CanonicalRecordWriter(target);
    }

    public void write(CanonicalRecord record) throws IOException {
        writeLine(CanonicalRecords.toLine(record));
    }

    /**
     * A record already in line form, as {@link CanonicalRecords#toLine} made it (a writer that staged its records
     * as lines need not parse them again).
     */
    public void writeLine(String canonicalLine) throws IOException {
        if (canonicalLine.indexOf('\n') >= 0 || canonicalLine.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a canonical record is one line");
        }
        out.write(canonicalLine);
        out.write('\n');
    }

    /** Flushes, forces to disk and renames the file into place. */
    public void commit() throws IOException {
        out.flush();
        channel.force(true);
        out.close();
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        committed = true;
    }

    @Override
    public void close() throws IOException {
        if (committed) return;
        try {
            out.close();
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
