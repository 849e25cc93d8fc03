package dev.anvil.trainer.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.anvil.events.datadir.DatasetVersionFiles;
import dev.anvil.events.records.CanonicalRecord;
import dev.anvil.events.records.CanonicalRecordReader;
import dev.anvil.events.records.RecordFormatException;
import dev.anvil.llm.data.Conversation;
import dev.anvil.llm.text.ChatMessage;

/**
 * Reads a dataset version as the dataset-service stores it, through the shared layout and the shared canonical
 * record reader ({@link CanonicalRecordReader}: bounded lines, errors naming file and line). Adds what training
 * needs: at most {@link #MAX_RECORDS} records (they are held in memory), and an assistant turn in each to learn from.
 */
public final class DatasetReader {

    public static final int MAX_RECORDS = 1_000_000;

    private DatasetReader() {
    }

    /** The training split of the dataset version. */
    public static List<Conversation> train(DatasetVersionFiles version) {
        return read(version.train());
    }

    /** The validation split; empty when the version has none. */
    public static List<Conversation> validation(DatasetVersionFiles version) {
        Path file = version.validation();
        return Files.isRegularFile(file) ? read(file) : List.of();
    }

    public static List<Conversation> read(Path file) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no dataset file at " + file);
        List<Conversation> out = new ArrayList<>();
        try (CanonicalRecordReader in = CanonicalRecordReader.open(file)) {
            for (CanonicalRecordReader.Numbered next; (next = in.next()) != null; ) {
                if (out.size() == MAX_RECORDS) {
                    throw new RecordFormatException(file, next.line(), "more than " + MAX_RECORDS + " records");
                }
                out.add(toConversation(next, file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static Conversation toConversation(CanonicalRecordReader.Numbered next, Path file) {
        List<ChatMessage> messages = next.record().messages().stream()
                .map(m -> new ChatMessage(m.role(), m.content()))
                .toList();
        if (messages.stream().noneMatch(m -> m.role().equals(CanonicalRecord.ASSISTANT))) {
            throw new RecordFormatException(file, next.line(), "no assistant message to learn from");
        }
        return new Conversation(messages, next.line());
    }
}
