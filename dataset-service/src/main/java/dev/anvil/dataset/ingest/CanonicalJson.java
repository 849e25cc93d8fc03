package dev.anvil.dataset.ingest;

import dev.anvil.events.records.CanonicalRecord;
import dev.anvil.events.records.CanonicalRecords;

import java.util.List;

/**
 * The stored form of a {@link Conversation}: the shared canonical record ({@link CanonicalRecords}), with
 * {@code format} set to {@link SourceFormat#id()}. The line itself is made by the shared codec, so what this service
 * writes is what every reader of a dataset version parses.
 */
public final class CanonicalJson {

    private CanonicalJson() {
    }

    /** The record as one line of JSON, without the line break. */
    public static String write(Conversation conversation) {
        List<CanonicalRecord.Message> messages = conversation.messages().stream()
                .map(m -> new CanonicalRecord.Message(m.role(), m.content(), m.name(), m.toolCallId()))
                .toList();
        return CanonicalRecords.toLine(new CanonicalRecord(messages, conversation.format().id()));
    }

    /** Reads a line written by {@link #write}. */
    public static Conversation read(String line) {
        CanonicalRecord record = CanonicalRecords.parse(line);
        List<Message> messages = record.messages().stream()
                .map(m -> new Message(m.role(), m.content(), m.name(), m.toolCallId()))
                .toList();
        return new Conversation(messages, SourceFormat.fromId(record.format()));
    }
}
