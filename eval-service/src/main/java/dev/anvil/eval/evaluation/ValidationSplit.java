package dev.anvil.eval.evaluation;

import dev.anvil.events.datadir.DatasetVersionFiles;
import dev.anvil.events.records.CanonicalRecord;
import dev.anvil.events.records.CanonicalRecordReader;
import dev.anvil.llm.data.Conversation;
import dev.anvil.llm.text.ChatMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * The first examples of a dataset version's validation split, read through the shared canonical record reader
 * (bounded lines; a bad line fails naming file and line). A record without an assistant reply has nothing to score
 * and is passed over.
 */
final class ValidationSplit {

    private ValidationSplit() {
    }

    /** Whether the version has a validation split with at least one record. */
    static boolean isPresent(DatasetVersionFiles version) {
        try {
            return Files.isRegularFile(version.validation()) && Files.size(version.validation()) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    static List<Conversation> read(DatasetVersionFiles version, int limit) {
        List<Conversation> out = new ArrayList<>();
        try (CanonicalRecordReader in = CanonicalRecordReader.open(version.validation())) {
            for (CanonicalRecordReader.Numbered next; out.size() < limit && (next = in.next()) != null; ) {
                List<ChatMessage> messages = next.record().messages().stream()
                        .map(m -> new ChatMessage(m.role(), m.content())).toList();
                if (messages.stream().anyMatch(m -> m.role().equals(CanonicalRecord.ASSISTANT))) {
                    out.add(new Conversation(messages, next.line()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + version.validation() + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** The last assistant reply: what a model answering the conversation's prompt should say. */
    static String reference(Conversation c) {
        return c.messages().get(lastReply(c)).content();
    }

    /** What the model is asked: the conversation up to its last assistant reply. */
    static List<ChatMessage> prompt(Conversation c) {
        return c.messages().subList(0, lastReply(c));
    }

    private static int lastReply(Conversation c) {
        List<ChatMessage> messages = c.messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role().equals(CanonicalRecord.ASSISTANT)) return i;
        }
        throw new IllegalArgumentException("line " + c.line() + " has no assistant reply");
    }
}
