package dev.anvil.dataset.dedup;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The signatures of indexed records, kept in a temporary file rather than in memory: entry {@code id} is a 64-bit
 * tag followed by the signature truncated to 16 bits per position (two truncated values agree by chance with
 * probability 2^-16, which leaves the similarity estimate unchanged for practical purposes). Appends are buffered;
 * reads of recent entries are served from the buffer, older ones by positional reads from the page cache.
 */
final class SignatureStore implements Closeable {
    private static final int BLOCK_ENTRIES = 4096;

    private final int size;
    private final int entryBytes;
    private final Path file;
    private final FileChannel channel;
    private final ByteBuffer block;
    private final ByteBuffer read;
    private int flushedEntries;
    private int entries;

    SignatureStore(Path file, int size) throws IOException {
        this.size = size;
        this.entryBytes = Long.BYTES + size * Short.BYTES;
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        this.block = ByteBuffer.allocate(BLOCK_ENTRIES * entryBytes);
        this.read = ByteBuffer.allocate(entryBytes);
    }

    /** Appends a signature and returns its id. */
    int add(int[] signature, long tag) throws IOException {
        if (!block.hasRemaining()) {
            flush();
        }
        block.putLong(tag);
        for (int i = 0; i < size; i++) {
            block.putShort((short) signature[i]);
        }
        return entries++;
    }

    /** Number of positions where the stored signature {@code id} agrees with {@code signature}. */
    int agreements(int id, int[] signature) throws IOException {
        ByteBuffer entry = entry(id);
        entry.getLong();
        int agree = 0;
        for (int i = 0; i < size; i++) {
            if (entry.getShort() == (short) signature[i]) {
                agree++;
            }
        }
        return agree;
    }

    long tag(int id) throws IOException {
        return entry(id).getLong();
    }

    /** A view of entry {@code id}, positioned at its tag. */
    private ByteBuffer entry(int id) throws IOException {
        ByteBuffer entry;
        if (id >= flushedEntries) {
            entry = block.duplicate();
            entry.position((id - flushedEntries) * entryBytes);
        } else {
            read.clear();
            long position = (long) id * entryBytes;
            while (read.hasRemaining()) {
                if (channel.read(read, position + read.position()) < 0) {
                    throw new IOException("signature store truncated at entry " + id);
                }
            }
            read.flip();
            entry = read;
        }
        ByteBuffer view = entry.slice();
        view.limit(entryBytes);
        return view;
    }

    private void flush() throws IOException {
        block.flip();
        while (block.hasRemaining()) {
            channel.write(block, (long) flushedEntries * entryBytes + block.position());
        }
        flushedEntries = entries;
        block.clear();
    }

    @Override
    public void close() throws IOException {
        channel.close();
        Files.deleteIfExists(file);
    }
}
