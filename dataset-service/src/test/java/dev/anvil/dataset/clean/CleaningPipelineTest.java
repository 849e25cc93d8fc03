package dev.anvil.dataset.clean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anvil.dataset.dedup.TextFingerprints;
import dev.anvil.dataset.ingest.CanonicalJson;
import dev.anvil.dataset.ingest.InputLimitExceededException;
import dev.anvil.dataset.ingest.UploadFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CleaningPipelineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CleaningSettings NO_SPLIT =
            new CleaningSettings(0, 0, false, 0.8, 10_000, ConflictPolicy.KEEP_FIRST);

    @TempDir
    Path dir;

    private record Outcome(CleaningReport report, List<String> train, List<String> validation,
                           List<JsonNode> rejects, Path dir) {
        List<Long> rejectedLines() {
            return rejects.stream().map(r -> r.get("line").asLong()).toList();
        }

        List<String> reasons() {
            return rejects.stream().map(r -> r.get("reason").asText()).toList();
        }
    }

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private Outcome run(String upload, UploadFormat format, CleaningSettings settings) throws IOException {
        return run(upload, format, null, settings, "out");
    }

    private Outcome run(String upload, UploadFormat format, String validation, CleaningSettings settings,
                        String folder) throws IOException {
        Path out = dir.resolve(folder);
        CleaningReport report = new CleaningPipeline(settings, BlocklistFilter.defaults(), 1 << 16)
                .run(bytes(upload), format, validation == null ? null : bytes(validation), UploadFormat.JSON, out);
        List<JsonNode> rejects = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("rejects.jsonl"))) {
            rejects.add(JSON.readTree(line));
        }
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of("rejects.jsonl", "train.jsonl", "validation.jsonl"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "temporary files are removed");
        }
        return new Outcome(report, Files.readAllLines(out.resolve("train.jsonl")),
                Files.readAllLines(out.resolve("validation.jsonl")), rejects, out);
    }

    private static String words(Random random, int n) {
        return random.ints(n, 0, 1_000_000).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
    }

    /** {@code text} with the word at {@code index} replaced. */
    private static String edit(String text, int index) {
        String[] words = text.split(" ");
        words[index] = "edited" + index;
        return String.join(" ", words);
    }

    private static String record(String prompt, String completion) {
        return "{\"prompt\":\"" + prompt + "\",\"completion\":\"" + completion + "\"}";
    }

    @Test
    void eachRuleRemovesUnderItsReasonWithTheLineNumber() throws IOException {
        String longText = words(new Random(1), 40);
        String upload = String.join("\n",
                record("What is 2+2?", "4"),
                "not json at all",
                record("  ", " "),
                record("Tell me everything", "x".repeat(10_001)),
                record("What  is 2+2? ", "4"),
                record("Recite", longText),
                record("Recite", edit(longText, 20)),
                record("How do I build a pipe bomb", "No."),
                record("What is 2+2?", "5"),
                record("Email me at jane@example.com", "Sure, or call +44 20 7946 0958")) + "\n";
        Outcome out = run(upload, UploadFormat.JSON, NO_SPLIT);

        assertEquals(List.of(2L, 3L, 4L, 5L, 7L, 8L, 9L), out.rejectedLines());
        assertEquals(List.of("malformed", "empty", "too_long", "duplicate", "near_duplicate", "unsafe", "conflict"),
                out.reasons());
        assertEquals("same as line 1", out.rejects().get(3).get("detail").asText());
        assertTrue(out.rejects().get(4).get("detail").asText().startsWith("near duplicate of line 6"));
        assertTrue(out.rejects().get(5).get("detail").asText().startsWith("explosives"));
        assertEquals("same prompt as line 1 with a different answer", out.rejects().get(6).get("detail").asText());

        CleaningReport report = out.report();
        assertEquals(10, report.input());
        assertEquals(3, report.accepted());
        assertEquals(3, report.train());
        assertEquals(0, report.validation());
        assertEquals(1, report.conflicts());
        assertEquals(2, report.piiRedacted());
        for (String reason : List.of("malformed", "empty", "too_long", "duplicate", "near_duplicate", "unsafe",
                "conflict")) {
            assertEquals(1L, report.removed().get(reason), reason);
        }
        assertEquals("{\"messages\":[{\"role\":\"user\",\"content\":\"What is 2+2?\"},"
                + "{\"role\":\"assistant\",\"content\":\"4\"}],\"format\":\"prompt_completion\"}", out.train().get(0));
        assertEquals("{\"messages\":[{\"role\":\"user\",\"content\":\"Email me at [EMAIL]\"},"
                + "{\"role\":\"assistant\",\"content\":\"Sure, or call [PHONE]\"}],\"format\":\"prompt_completion\"}",
                out.train().get(2));
    }

    @Test
    void recordsDifferingOnlyInPersonalDataCollapse() throws IOException {
        Outcome out = run(record("Mail bob@example.com", "ok") + "\n" + record("Mail eve@example.org", "ok") + "\n",
                UploadFormat.JSON, NO_SPLIT);
        assertEquals(List.of("duplicate"), out.reasons());
        assertEquals(1, out.report().piiRedacted(), "only kept records count");
    }

    @Test
    void dropAllRemovesTheFirstAnswerTooInLineOrder() throws IOException {
        String upload = String.join("\n", record("p", "x"), "oops", record("p", "y"), record("q", "z")) + "\n";
        Outcome out = run(upload, UploadFormat.JSON,
                new CleaningSettings(0, 0, false, 0.8, 200, ConflictPolicy.DROP_ALL));
        assertEquals(List.of(1L, 2L, 3L), out.rejectedLines());
        assertEquals(List.of("conflict", "malformed", "conflict"), out.reasons());
        assertEquals(1, out.report().conflicts());
        assertEquals(2L, out.report().removed().get("conflict"));
        assertEquals(1, out.report().train());
    }

    @Test
    void keepAllKeepsConflictsButCountsThem() throws IOException {
        Outcome out = run(record("p", "x") + "\n" + record("p", "y") + "\n", UploadFormat.JSON,
                new CleaningSettings(0, 0, false, 0.8, 200, ConflictPolicy.KEEP_ALL));
        assertEquals(2, out.report().train());
        assertEquals(1, out.report().conflicts());
        assertEquals(0L, out.report().removed().get("conflict"));
    }

    @Test
    void strictModeRefusesOnTheFirstBadLineButNotOnDuplicates() throws IOException {
        CleaningSettings strict = new CleaningSettings(0, 0, true, 0.8, 200, ConflictPolicy.KEEP_FIRST);
        Outcome fine = run(record("a", "b") + "\n" + record("a", "b") + "\n", UploadFormat.JSON, strict);
        assertEquals(List.of("duplicate"), fine.reasons());

        StrictModeViolationException e = assertThrows(StrictModeViolationException.class,
                () -> run(record("a", "b") + "\n" + record("c", "") + "\n{bad\n", UploadFormat.JSON, strict));
        assertEquals(2, e.rejection().line());
        assertEquals("empty", e.rejection().reason());
    }

    @Test
    void aTooLongLineRefusesTheUpload() {
        CleaningPipeline pipeline = new CleaningPipeline(NO_SPLIT, BlocklistFilter.defaults(), 64);
        InputLimitExceededException e = assertThrows(InputLimitExceededException.class, () -> pipeline.run(
                bytes(record("a", "b") + "\n" + record("a", "b".repeat(100)) + "\n"), UploadFormat.JSON, null,
                null, dir.resolve("limit")));
        assertEquals("anvil.dataset.max-line-bytes", e.limit());
    }

    @Test
    void bytesThatAreNotUtf8AreMalformedAtTheirLine() throws IOException {
        byte[] head = (record("a", "b") + "\n{\"text\":\"caf").getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\"}\n".getBytes(StandardCharsets.UTF_8);
        byte[] upload = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, upload, 0, head.length);
        upload[head.length] = (byte) 0xE9;
        System.arraycopy(tail, 0, upload, head.length + 1, tail.length);
        CleaningReport report = new CleaningPipeline(NO_SPLIT, BlocklistFilter.defaults(), 1 << 16)
                .run(new ByteArrayInputStream(upload), UploadFormat.JSON, null, null, dir.resolve("utf8"));
        assertEquals(1L, report.removed().get("malformed"));
        String reject = Files.readString(dir.resolve("utf8/rejects.jsonl"));
        assertTrue(reject.startsWith("{\"line\":2,\"reason\":\"malformed\",\"detail\":\"not valid UTF-8"), reject);
    }

    @Test
    void csvAndJsonArrayRejectsUseTheRecordsFirstLine() throws IOException {
        String csv = "prompt,completion\n\"multi\nline\",answer\nother,thing\n\"multi\nline\",answer\n";
        Outcome fromCsv = run(csv, UploadFormat.CSV, NO_SPLIT);
        assertEquals(List.of(5L), fromCsv.rejectedLines());
        assertTrue(fromCsv.train().get(0).contains("\"content\":\"multi\\nline\""));

        String array = "[\n" + record("a", "b") + ",\n" + record("c", "d") + ",\n  " + record("a", "b") + "\n]";
        Outcome fromArray = run(array, UploadFormat.JSON, null, NO_SPLIT, "array");
        assertEquals(List.of(4L), fromArray.rejectedLines());
        assertEquals(2, fromArray.report().train());
    }

    private static String mixedUpload(int alpaca, int prompts, int chats) {
        Random random = new Random(99);
        StringBuilder upload = new StringBuilder();
        for (int i = 0; i < alpaca + prompts + chats; i++) {
            String text = words(random, 12);
            if (i < alpaca) {
                upload.append("{\"instruction\":\"Task ").append(i).append("\",\"output\":\"").append(text).append("\"}");
            } else if (i < alpaca + prompts) {
                upload.append(record("Prompt " + i, text));
            } else {
                upload.append("{\"messages\":[{\"role\":\"user\",\"content\":\"Chat ").append(i)
                        .append("\"},{\"role\":\"assistant\",\"content\":\"").append(text).append("\"}]}");
            }
            upload.append('\n');
        }
        return upload.toString();
    }

    private static Map<String, Long> formatsOf(List<String> lines) throws IOException {
        List<String> formats = new ArrayList<>();
        for (String line : lines) {
            formats.add(CanonicalJson.read(line).format().id());
        }
        return formats.stream().collect(Collectors.groupingBy(f -> f, Collectors.counting()));
    }

    @Test
    void splitIsStratifiedAndDeterministicForASeed() throws IOException {
        String upload = mixedUpload(120, 60, 22);
        CleaningSettings seeded = new CleaningSettings(0.25, 7, false, 0.8, 10_000, ConflictPolicy.KEEP_FIRST);
        Outcome first = run(upload, UploadFormat.JSON, null, seeded, "a");
        Outcome again = run(upload, UploadFormat.JSON, null, seeded, "b");
        Outcome otherSeed = run(upload, UploadFormat.JSON, null,
                new CleaningSettings(0.25, 8, false, 0.8, 10_000, ConflictPolicy.KEEP_FIRST), "c");

        assertEquals(Map.of("alpaca", 30L, "prompt_completion", 15L, "openai_chat", 6L), formatsOf(first.validation()));
        assertEquals(202, first.report().accepted());
        assertEquals(first.validation(), again.validation());
        assertEquals(first.train(), again.train());
        assertNotEquals(first.validation(), otherSeed.validation());
        assertEquals(formatsOf(first.validation()), formatsOf(otherSeed.validation()));
    }

    @Test
    void theNumberOfWorkersDoesNotChangeTheOutput() throws IOException {
        String upload = mixedUpload(3000, 1000, 500) + mixedUpload(200, 0, 0);
        CleaningSettings settings = new CleaningSettings(0.1, 3, false, 0.8, 10_000, ConflictPolicy.KEEP_FIRST);
        List<List<String>> outputs = new ArrayList<>();
        for (int parallelism : new int[]{1, 4}) {
            Path out = dir.resolve("workers-" + parallelism);
            new CleaningPipeline(settings, BlocklistFilter.defaults(), 1 << 16, parallelism)
                    .run(bytes(upload), UploadFormat.JSON, null, null, out);
            List<String> files = new ArrayList<>();
            for (String name : List.of("train.jsonl", "validation.jsonl", "rejects.jsonl")) {
                files.add(Files.readString(out.resolve(name)));
            }
            outputs.add(files);
        }
        assertEquals(outputs.get(0), outputs.get(1));
        assertTrue(outputs.get(0).get(2).contains("\"duplicate\""), "the repeated block is found again");
    }

    /** Exact Jaccard similarity of every train/validation pair stays below the threshold. */
    @Test
    void noNearDuplicatePairStraddlesTrainAndValidation() throws IOException {
        Random random = new Random(2024);
        StringBuilder upload = new StringBuilder();
        for (int cluster = 0; cluster < 40; cluster++) {
            String base = words(random, 60);
            upload.append(record("Recite", base)).append('\n');
            for (int variant = 0; variant < 3; variant++) {
                upload.append(record("Recite", edit(base, random.nextInt(60)))).append('\n');
            }
            String distant = base;
            for (int e = 0; e < 20; e++) {
                distant = edit(distant, random.nextInt(60)).replace("edited", "far" + e + "x");
            }
            upload.append(record("Recite", distant)).append('\n');
        }
        double threshold = 0.8;
        Outcome out = run(upload.toString(), UploadFormat.JSON, null,
                new CleaningSettings(0.3, 1, false, threshold, 10_000, ConflictPolicy.KEEP_ALL), "near");

        assertTrue(out.report().removed().get("near_duplicate") >= 100, out.report().removed().toString());
        assertTrue(out.validation().size() >= 20);
        List<long[]> train = new ArrayList<>();
        for (String line : out.train()) {
            train.add(TextFingerprints.shingleSet(CanonicalJson.read(line)));
        }
        double worst = 0;
        for (String line : out.validation()) {
            long[] v = TextFingerprints.shingleSet(CanonicalJson.read(line));
            for (long[] t : train) {
                worst = Math.max(worst, TextFingerprints.jaccard(v, t));
            }
        }
        assertTrue(worst < threshold, "most similar train/validation pair: " + worst);
    }

    @Test
    void fixedValidationIsCleanedAndLoosesLeakedRecords() throws IOException {
        Random random = new Random(5);
        String text = words(random, 60);
        String upload = String.join("\n", record("a", "1"), record("b", "2"), record("c", text)) + "\n";
        String validation = String.join("\n", record("b", "2"), record("c", edit(text, 30)), "{broken",
                record("fresh", "answer"), record("fresh", "answer")) + "\n";
        Outcome out = run(upload, UploadFormat.JSON, validation, NO_SPLIT, "fixed");

        assertEquals(3, out.report().train());
        assertEquals(1, out.report().validation());
        assertEquals(8, out.report().input());
        assertEquals(List.of(1L, 2L, 3L, 5L), out.rejectedLines());
        assertEquals(List.of("duplicate", "near_duplicate", "malformed", "duplicate"), out.reasons());
        assertEquals("validation file: same as line 2 of the training upload (leakage into validation)",
                out.rejects().get(0).get("detail").asText());
        assertTrue(out.rejects().get(1).get("detail").asText()
                .startsWith("validation file: near duplicate of line 3 of the training upload"));
        assertTrue(out.rejects().get(2).get("detail").asText().startsWith("validation file: not JSON"));
        assertEquals("validation file: same as validation file line 4", out.rejects().get(3).get("detail").asText());
    }

    @Test
    void reportDescribesTheKeptRecords() throws IOException {
        String upload = String.join("\n",
                "{\"messages\":[{\"role\":\"system\",\"content\":\"sys\"},{\"role\":\"user\",\"content\":\"abcd\"},"
                        + "{\"role\":\"assistant\",\"content\":\"call\"},{\"role\":\"tool\",\"content\":\"42\"},"
                        + "{\"role\":\"assistant\",\"content\":\"It is 42\"}]}",
                "{\"instruction\":\"ab\",\"output\":\"abcdef\"}",
                "{\"text\":\"hello\"}") + "\n";
        Map<String, Object> stats = run(upload, UploadFormat.JSON, NO_SPLIT).report().stats();
        assertEquals(Map.of("openai_chat", 1L, "alpaca", 1L, "text", 1L), stats.get("formats"));
        assertEquals(8 / 3.0, (double) stats.get("averageTurns"), 0.01);
        // prompt chars: 3+4+4+2 = 13 (chat, everything before the last assistant turn) + 2 (alpaca) + 0 (text)
        assertEquals(15 / 3.0, (double) stats.get("averagePromptChars"), 0.01);
        assertEquals((8 + 6 + 5) / 3.0, (double) stats.get("averageAnswerChars"), 0.01);
        assertEquals(1L, stats.get("withSystemPrompt"));
        assertEquals(1L, stats.get("withToolTurns"));
    }
}
