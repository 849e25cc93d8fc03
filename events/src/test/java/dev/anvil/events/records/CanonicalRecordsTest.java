package dev.anvil.events.records;

import dev.anvil.events.datadir.DatasetVersionFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CanonicalRecordsTest {

    @TempDir
    Path dir;

    /** The writer gives the contract's bytes, and the reader gives back the records written. */
    @Test
    void writerAndReaderRoundTripTheContractVersion() throws IOException {
        DatasetVersionFiles files = DatasetVersionFiles.in(dir);
        write(files.train(), ContractVersion.TRAIN);
        write(files.validation(), ContractVersion.VALIDATION);

        assertArrayEquals(ContractVersion.bytes(DatasetVersionFiles.TRAIN), Files.readAllBytes(files.train()));
        assertArrayEquals(ContractVersion.bytes(DatasetVersionFiles.VALIDATION),
                Files.readAllBytes(files.validation()));
        assertEquals(ContractVersion.TRAIN, read(files.train()));
        assertEquals(ContractVersion.VALIDATION, read(files.validation()));
        try (var left = Files.list(dir)) {
            assertEquals(2, left.count(), "no temporary file stays");
        }
    }

    @Test
    void optionalFieldsAreWrittenOnlyWhenPresent() {
        CanonicalRecord tool = new CanonicalRecord(List.of(
                new CanonicalRecord.Message(CanonicalRecord.TOOL, "42", "calc", "call-1")), null);
        String line = CanonicalRecords.toLine(tool);
        assertEquals("{\"messages\":[{\"role\":\"tool\",\"content\":\"42\",\"name\":\"calc\","
                + "\"tool_call_id\":\"call-1\"}]}", line);
        assertEquals(tool, CanonicalRecords.parse(line));
    }

    @Test
    void badLinesAreNamedByFileAndLine() throws IOException {
        Path file = dir.resolve("train.jsonl");
        String good = CanonicalRecords.toLine(ContractVersion.VALIDATION.get(0));
        assertProblem(file, List.of(good, "", good, "{\"messages\": [oops"), " line 4: not valid JSON (");
        assertProblem(file, List.of("{\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}"),
                " line 1: messages[0].role must be one of [system, user, assistant, tool]");
        assertProblem(file, List.of("{\"messages\":[{\"role\":\"user\",\"content\":1}]}"),
                " line 1: messages[0].content must be a string");
        assertProblem(file, List.of("{\"messages\":[]}"), " line 1: expected an object with a non-empty 'messages'");
        assertProblem(file, List.of(good, "x".repeat(CanonicalRecordReader.MAX_LINE_CHARS + 1)),
                " line 2: line longer than " + CanonicalRecordReader.MAX_LINE_CHARS + " characters");
    }

    @Test
    void anUncommittedWriterLeavesNothing() throws IOException {
        Path target = dir.resolve("train.jsonl");
        try (CanonicalRecordWriter out = CanonicalRecordWriter.create(target)) {
            out.write(ContractVersion.TRAIN.get(0));
        }
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count());
        }
        try (CanonicalRecordWriter out = CanonicalRecordWriter.create(target)) {
            assertThrows(IllegalArgumentException.class, () -> out.writeLine("{}\n{}"));
        }
        assertFalse(Files.exists(target));
    }

    private static void write(Path file, List<CanonicalRecord> records) throws IOException {
        try (CanonicalRecordWriter out = CanonicalRecordWriter.create(file)) {
            for (CanonicalRecord record : records) out.write(record);
            out.commit();
        }
    }

    private static List<CanonicalRecord> read(Path file) throws IOException {
        List<CanonicalRecord> records = new ArrayList<>();
        try (CanonicalRecordReader in = CanonicalRecordReader.open(file)) {
            for (CanonicalRecordReader.Numbered next; (next = in.next()) != null; ) records.add(next.record());
        }
        return records;
    }

    private static void assertProblem(Path file, List<String> lines, String expected) throws IOException {
        Files.write(file, lines, StandardCharsets.UTF_8);
        RecordFormatException e = assertThrows(RecordFormatException.class, () -> read(file));
        assertEquals(file + expected, e.getMessage().substring(0, Math.min(e.getMessage().length(),
                (file + expected).length())));
    }

    @Test
    void anEmptyFileHasNoRecords() throws IOException {
        Path file = Files.createFile(dir.resolve("empty.jsonl"));
        try (CanonicalRecordReader in = CanonicalRecordReader.open(file)) {
            assertNull(in.next());
        }
    }
}
