package dev.anvil.dataset.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import dev.anvil.dataset.clean.BlocklistFilter;
import dev.anvil.dataset.clean.CleaningPipeline;
import dev.anvil.dataset.clean.CleaningReport;
import dev.anvil.dataset.clean.CleaningSettings;
import dev.anvil.dataset.ingest.UploadFormat;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Throughput and memory of the cleaning pipeline on a generated JSONL file, against a plain streaming Jackson parse of
 * the same file measured in the same process. Not a test: run it by hand, one size per JVM (peak RSS is per process):
 * <pre>
 * java -Xmx1g -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *      dev.anvil.dataset.bench.IngestBenchmark 1000000 [workers]
 * </pre>
 * ({@code target/cp.txt}: {@code mvn -o -q -pl dataset-service dependency:build-classpath
 * -Dmdep.outputFile=target/cp.txt}.)
 * The file mixes Alpaca and OpenAI chat records (some with a system prompt or PII) of 20 to 120 words from a
 * 20,000-word vocabulary; about 4 % are exact duplicates (some with different spacing) and 4 % near duplicates
 * (one word changed) of an earlier record, regenerated from that record's seed so that nothing is kept in memory.
 */
public final class IngestBenchmark {
    private static final int VOCABULARY = 20_000;

    private IngestBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        Path dir = Files.createTempDirectory("anvil-ingest-bench");
        try {
            Path file = dir.resolve("upload.jsonl");
            long t0 = System.nanoTime();
            generate(file, records);
            long bytes = Files.size(file);
            System.out.printf(Locale.ROOT, "generated %,d records, %.1f MB in %.1f s%n", records, bytes / 1e6,
                    (System.nanoTime() - t0) / 1e9);

            plainParse(file);
            long parseCpu = cpuNanos();
            long parseStart = System.nanoTime();
            plainParse(file);
            double parseSeconds = (System.nanoTime() - parseStart) / 1e9;
            double parseCpuSeconds = (cpuNanos() - parseCpu) / 1e9;
            System.out.printf(Locale.ROOT, "plain Jackson streaming parse: %.2f s wall, %.2f s CPU, %,.0f records/s,"
                    + " %.1f MB/s (CPU time)%n", parseSeconds, parseCpuSeconds, records / parseCpuSeconds,
                    bytes / 1e6 / parseCpuSeconds);

            CleaningSettings settings = new CleaningSettings(0.1, 42, false, 0.8, 32_768,
                    CleaningSettings.DEFAULTS.conflictPolicy());
            CleaningPipeline pipeline = new CleaningPipeline(settings, BlocklistFilter.defaults(), 1 << 20, workers);
            long cpu = processCpuNanos();
            long start = System.nanoTime();
            CleaningReport report;
            try (InputStream in = Files.newInputStream(file)) {
                report = pipeline.run(in, UploadFormat.JSON, null, null, dir.resolve("out"));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpu) / 1e9;
            System.out.printf(Locale.ROOT, "pipeline (near-dup on, %d workers): %.2f s wall, %.2f s CPU (all threads),"
                    + " %,.0f records/s, %.1f MB/s (wall)%n", workers, seconds,
                    cpuSeconds, records / seconds, bytes / 1e6 / seconds);
            System.out.printf(Locale.ROOT, "rate relative to the plain parse: %.1f %% by wall time; %.1f %% by CPU"
                    + " time (single-core equivalent)%n", 100 * parseSeconds / seconds,
                    100 * parseCpuSeconds / cpuSeconds);
            System.out.println("report: input=" + report.input() + " train=" + report.train() + " validation="
                    + report.validation() + " removed=" + report.removed() + " pii=" + report.piiRedacted()
                    + " conflicts=" + report.conflicts());
            System.out.println("peak RSS (VmHWM): " + peakRss());
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** CPU time of this thread: the measure that survives a machine shared with other builds. */
    private static long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /** CPU time of the whole process: the pipeline's work runs on a pool of workers. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void plainParse(Path file) throws IOException {
        long tokens = 0;
        try (InputStream in = Files.newInputStream(file);
             JsonParser parser = new JsonFactory().createParser(in)) {
            while (parser.nextToken() != null) {
                if (parser.currentToken().isScalarValue()) {
                    parser.getText();
                }
                tokens++;
            }
        }
        if (tokens == 0) {
            throw new IllegalStateException("nothing parsed");
        }
    }

    static void generate(Path file, int records) throws IOException {
        SplittableRandom picks = new SplittableRandom(1);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
             JsonGenerator json = new JsonFactory().createGenerator(out)) {
            json.setRootValueSeparator(null);
            for (int i = 0; i < records; i++) {
                int roll = picks.nextInt(100);
                long seed = i;
                int variant = 0;
                if (i > 100 && roll < 4) {
                    seed = picks.nextInt(i);
                    variant = 1 + picks.nextInt(2);
                } else if (i > 100 && roll < 8) {
                    seed = picks.nextInt(i);
                    variant = 3;
                }
                writeRecord(json, seed, variant);
                json.flush();
                out.write('\n');
            }
        }
    }

    /** Record {@code seed}; variant 1: exact copy, 2: same with doubled spaces, 3: one word changed. */
    private static void writeRecord(JsonGenerator json, long seed, int variant) throws IOException {
        // Seeds go through a first draw: SplittableRandom seeds one golden-gamma apart give shifted sequences.
        SplittableRandom random = new SplittableRandom(new SplittableRandom(seed).nextLong());
        String prompt = sentence(random, 8 + random.nextInt(20), variant == 2);
        String answer = sentence(random, 12 + random.nextInt(100), variant == 2);
        if (random.nextInt(20) == 0) {
            answer = answer + " Contact me at user" + random.nextInt(1000) + "@example.com.";
        }
        if (variant == 3) {
            answer = answer + " changed" + seed;
        }
        json.writeStartObject();
        if (random.nextBoolean()) {
            json.writeStringField("instruction", prompt);
            json.writeStringField("input", random.nextInt(3) == 0 ? sentence(random, 10, false) : "");
            json.writeStringField("output", answer);
        } else {
            json.writeArrayFieldStart("messages");
            if (random.nextInt(4) == 0) {
                message(json, "system", "You are a helpful assistant.");
            }
            message(json, "user", prompt);
            message(json, "assistant", answer);
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    private static void message(JsonGenerator json, String role, String content) throws IOException {
        json.writeStartObject();
        json.writeStringField("role", role);
        json.writeStringField("content", content);
        json.writeEndObject();
    }

    private static String sentence(SplittableRandom random, int words, boolean doubleSpaces) {
        StringBuilder text = new StringBuilder(words * 8);
        for (int w = 0; w < words; w++) {
            if (w > 0) {
                text.append(doubleSpaces ? "  " : " ");
            }
            int word = (int) Math.floor(Math.pow(random.nextDouble(), 2) * VOCABULARY);
            text.append(WORDS[word % WORDS.length]);
            if (word >= WORDS.length) {
                text.append(word / WORDS.length);
            }
        }
        return text.append('.').toString();
    }

    private static final String[] WORDS = ("the model data train answer question value system user record token "
            + "layer weight batch loss rate step epoch graph node edge query table index cache shard replica "
            + "stream event topic schema field version commit branch merge build test deploy cluster service "
            + "request response error retry limit window memory disk file path line byte char word text").split(" ");

    private static String peakRss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM")) {
                return line.substring(6).trim();
            }
        }
        return "unknown";
    }
}
