package dev.anvil.trainer.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anvil.llm.text.ChatMessage;

/**
 * Reads a dataset version as dataset-service stores it: {@code <version dir>/{train,validation}.jsonl}, one
 * canonical record a line, {@code {"messages":[{"role":..,"content":..}],...}}. Lines are bounded in length and
 * records in count, so a corrupt or hostile file fails with a message naming its line instead of exhausting memory.
 */
public final class DatasetReader {

    public static final int MAX_LINE_CHARS = 1 << 20;
    public static final int MAX_RECORDS = 1_000_000;
    private static final List<String> ROLES = List.of("system", "user", "assistant", "tool");
    private static final ObjectMapper JSON = new ObjectMapper();

    private DatasetReader() {
    }

    /** The training split of the dataset version in {@code versionDir}. */
    public static List<Conversation> train(Path versionDir) {
        return read(versionDir.resolve("train.jsonl"));
    }

    /** The validation split; empty when the version has none. */
    public static List<Conversation> validation(Path versionDir) {
        Path file = versionDir.resolve("validation.jsonl");
        return Files.isRegularFile(file) ? read(file) : List.of();
    }

    public static List<Conversation> read(Path file) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no dataset file at " + file);
        List<Conversation> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            long number = 0;
            while (readBoundedLine(in, line, file, number + 1)) {
                number++;
                if (line.toString().isBlank()) continue;
                if (out.size() == MAX_RECORDS) {
                    throw new DatasetFormatException(file, number, "more than " + MAX_RECORDS + " records");
                }
                out.add(parse(line.toString(), file, number));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Reads one line into {@code line} (without the newline); false at the end of the file. */
    private static boolean readBoundedLine(BufferedReader in, StringBuilder line, Path file, long number)
            throws IOException {
        line.setLength(0);
        int c = in.read();
        if (c < 0) return false;
        while (c >= 0 && c != '\n') {
            if (line.length() == MAX_LINE_CHARS) {
                throw new DatasetFormatException(file, number, "line longer than " + MAX_LINE_CHARS + " characters");
            }
            if (c != '\r') line.append((char) c);
            c = in.read();
        }
        return true;
    }

    private static Conversation parse(String line, Path file, long number) {
        JsonNode record;
        try {
            record = JSON.readTree(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DatasetFormatException(file, number, "not valid JSON (" + e.getOriginalMessage() + ")");
        }
        JsonNode messages = record == null ? null : record.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new DatasetFormatException(file, number, "expected an object with a non-empty 'messages' array");
        }
        List<ChatMessage> out = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            JsonNode role = m.get("role");
            JsonNode content = m.get("content");
            if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
                throw new DatasetFormatException(file, number, "messages[" + i + "].role must be one of " + ROLES);
            }
            if (content == null || !content.isTextual()) {
                throw new DatasetFormatException(file, number, "messages[" + i + "].content must be a string");
            }
            out.add(new ChatMessage(role.asText(), content.asText()));
        }
        if (out.stream().noneMatch(m -> m.role().equals("assistant"))) {
            throw new DatasetFormatException(file, number, "no assistant message to learn from");
        }
        return new Conversation(out, number);
    }
}
