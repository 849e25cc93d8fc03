package dev.anvil.eval.testing;

import dev.anvil.events.records.CanonicalRecord;
import dev.anvil.events.records.CanonicalRecordWriter;
import dev.anvil.events.testing.InProcessKafka;
import dev.anvil.events.testing.SharedFixtures;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The data directory of the eval-service under test, prepared before it starts: the real aidreams260K linked (never
 * copied) from {@code ../shared/models}, once under its name and once as {@link #OTHER_MODEL} (a base an adapter was
 * not trained on); the golden PEFT adapter of aidreams260K as the exported result of run {@link #GOLDEN_JOB}; a
 * dataset version with a validation split of {@link #VALIDATION} colour questions, and one whose split is empty;
 * and the in-process Kafka broker.
 */
public class EvalDataDir implements QuarkusTestResourceLifecycleManager {
    public static final String MODEL = "aidreams260K";
    public static final String OTHER_MODEL = "aidreams260K-other";
    public static final String GOLDEN_JOB = "golden-job";
    public static final String GOLDEN_ADAPTER = "runs/" + GOLDEN_JOB + "/adapter";
    public static final String DATASET = "colors";
    public static final String EMPTY_DATASET = "nothing-held-out";
    public static final String VERSION = "v1";
    public static final String[][] VALIDATION = {
            {"a tomato", "red"}, {"a cloud", "white"}, {"ink", "black"}, {"a lime", "green"}, {"the sky", "blue"},
            {"grass", "green"}, {"snow", "white"}, {"coal", "black"}, {"a banana", "yellow"}, {"a cherry", "red"}};

    /** The data directory of the service under test (call from a test, once it runs). */
    public static Path current() {
        return Path.of(org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("anvil.data-dir", String.class));
    }

    /** Makes the golden adapter the exported result of run {@code jobId} in the current data directory (a link). */
    public static String linkGoldenRun(String jobId) {
        String adapter = "runs/" + jobId + "/adapter";
        SharedFixtures.linkGoldenAdapter(current(), adapter);
        return adapter;
    }

    public static Path sharedModel() {
        return SharedFixtures.model();
    }

    public static Path goldenAdapter() {
        return SharedFixtures.goldenAdapter();
    }

    /** The validation conversations as the dataset-service stores them. */
    public static List<CanonicalRecord> validationRecords() {
        List<CanonicalRecord> out = new ArrayList<>();
        for (String[] p : VALIDATION) {
            out.add(new CanonicalRecord(List.of(new CanonicalRecord.Message(CanonicalRecord.USER,
                    "What is the color of " + p[0] + "?"), new CanonicalRecord.Message(CanonicalRecord.ASSISTANT,
                    "The color of " + p[0] + " is " + p[1] + ".")), "openai"));
        }
        return out;
    }

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "eval-data-");
            Files.createDirectories(dir.resolve("models"));
            Files.createSymbolicLink(dir.resolve("models").resolve(MODEL), sharedModel());
            Files.createSymbolicLink(dir.resolve("models").resolve(OTHER_MODEL), sharedModel());
            SharedFixtures.linkGoldenAdapter(dir, GOLDEN_ADAPTER);
            writeSplit(dir.resolve("datasets").resolve(DATASET).resolve(VERSION), validationRecords());
            writeSplit(dir.resolve("datasets").resolve(EMPTY_DATASET).resolve(VERSION), List.of());
            return Map.of("anvil.data-dir", dir.toString(), "kafka.bootstrap.servers",
                    InProcessKafka.bootstrapServers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeSplit(Path version, List<CanonicalRecord> validation) throws IOException {
        Files.createDirectories(version);
        for (String split : new String[]{"train.jsonl", "validation.jsonl"}) {
            try (CanonicalRecordWriter out = CanonicalRecordWriter.create(version.resolve(split))) {
                for (CanonicalRecord r : validation) out.write(r);
                out.commit();
            }
        }
    }

    @Override
    public void stop() {
    }
}
