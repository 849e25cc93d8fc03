package dev.anvil.events.records;

import dev.anvil.events.datadir.DatasetVersionFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The contract between the service that writes dataset versions and those that read them, as files: a small
 * version whose {@code train.jsonl} and {@code validation.jsonl} are what the dataset-service writes for
 * {@link #UPLOAD} with {@link #FIXED_VALIDATION} (its test checks the bytes), and whose records are
 * {@link #TRAIN} and {@link #VALIDATION} (the readers' tests check that). Shared through the test-jar, since a
 * service never depends on another.
 */
public final class ContractVersion {
    /** The upload, OpenAI chat records as JSON lines: a system turn, an escaped quote, a non-ASCII arrow. */
    public static final String UPLOAD = """
            {"messages":[{"role":"system","content":"You answer briefly."},{"role":"user","content":"Which regions are available?"},{"role":"assistant","content":"Europe and \\"North America\\"."}]}
            {"messages":[{"role":"user","content":"How do I change the theme?"},{"role":"assistant","content":"Open Settings \u2192 Appearance and pick one."}]}
            """;
    /** The fixed validation file, a JSON array. */
    public static final String FIXED_VALIDATION = """
            [{"messages":[{"role":"user","content":"What does the trial cost?"},{"role":"assistant","content":"Nothing for thirty days."}]}]
            """;
    public static final String FORMAT = "openai_chat";

    public static final List<CanonicalRecord> TRAIN = List.of(
            record(system("You answer briefly."), user("Which regions are available?"),
                    assistant("Europe and \"North America\".")),
            record(user("How do I change the theme?"), assistant("Open Settings \u2192 Appearance and pick one.")));
    public static final List<CanonicalRecord> VALIDATION = List.of(
            record(user("What does the trial cost?"), assistant("Nothing for thirty days.")));

    private static final String RESOURCES = "/dev/anvil/events/records/contract-version/";

    private ContractVersion() {
    }

    /** The bytes of one of the version's files, {@code train.jsonl} or {@code validation.jsonl}. */
    public static byte[] bytes(String fileName) {
        try (InputStream in = ContractVersion.class.getResourceAsStream(RESOURCES + fileName)) {
            if (in == null) throw new IllegalStateException("no contract file " + fileName);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the version's record files into {@code dir}; returns them. */
    public static DatasetVersionFiles writeTo(Path dir) throws IOException {
        DatasetVersionFiles files = DatasetVersionFiles.in(Files.createDirectories(dir));
        Files.write(files.train(), bytes(DatasetVersionFiles.TRAIN));
        Files.write(files.validation(), bytes(DatasetVersionFiles.VALIDATION));
        return files;
    }

    private static CanonicalRecord record(CanonicalRecord.Message... messages) {
        return new CanonicalRecord(List.of(messages), FORMAT);
    }

    private static CanonicalRecord.Message system(String content) {
        return new CanonicalRecord.Message(CanonicalRecord.SYSTEM, content);
    }

    private static CanonicalRecord.Message user(String content) {
        return new CanonicalRecord.Message(CanonicalRecord.USER, content);
    }

    private static CanonicalRecord.Message assistant(String content) {
        return new CanonicalRecord.Message(CanonicalRecord.ASSISTANT, content);
    }
}
