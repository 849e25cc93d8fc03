package dev.anvil.trainer.tracking;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The loss curves of a run, read from its {@code metrics.jsonl} (one line per optimizer step) in two streamed
 * passes, never holding the file: the first counts the lines, the second writes
 * <pre>{"lines": L, "every": E, "validationEvery": V,
 *  "train": [{"step", "epoch", "trainLoss", "learningRate", "gradNorm", "tokensPerSecond"}, ...],
 *  "validation": [{"step", "validationLoss"}, ...]}</pre>
 * The train series keeps the steps that are multiples of {@code every} and the last step; {@code every} is raised
 * so that at most {@code maxPoints} (+ the last) remain. Validation points are all kept unless there are more than
 * {@code maxPoints}, then thinned the same way ({@code validationEvery}). A line that does not parse (the one being
 * appended right now) is skipped.
 */
public final class MetricsCurve {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VALIDATION = "validation_loss";
    /** File field -> API field of a train point. */
    private static final String[][] TRAIN_FIELDS = {{"step", "step"}, {"epoch", "epoch"},
            {"train_loss", "trainLoss"}, {"learning_rate", "learningRate"}, {"grad_norm", "gradNorm"},
            {"tokens_per_second", "tokensPerSecond"}};

    private final Path file;
    private final long lines;
    private final long every;
    private final long validationEvery;
    private final int maxPoints;

    private MetricsCurve(Path file, long lines, long every, long validationEvery, int maxPoints) {
        this.file = file;
        this.lines = lines;
        this.every = every;
        this.validationEvery = validationEvery;
        this.maxPoints = maxPoints;
    }

    /** Counts {@code file}'s lines (none when it does not exist yet) and settles the thinning. */
    public static MetricsCurve read(Path file, int every, int maxPoints) {
        if (every < 1 || maxPoints < 1) throw new IllegalArgumentException("every and maxPoints must be >= 1");
        long lines = 0;
        long validations = 0;
        if (file != null && Files.isRegularFile(file)) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.isBlank()) continue;
                    lines++;
                    if (line.contains(VALIDATION)) validations++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return new MetricsCurve(lines == 0 ? null : file, lines, Math.max(every, ceilDiv(lines, maxPoints)),
                Math.max(1, ceilDiv(validations, maxPoints)), maxPoints);
    }

    /** The train series' step spacing actually used. */
    public long every() {
        return every;
    }

    public void writeTo(OutputStream out) throws IOException {
        List<JsonNode> validation = new ArrayList<>();
        try (JsonGenerator json = JSON.getFactory().createGenerator(out)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
            json.writeStartObject();
            json.writeNumberField("lines", lines);
            json.writeNumberField("every", every);
            json.writeNumberField("validationEvery", validationEvery);
            json.writeArrayFieldStart("train");
            if (file != null) writeTrainCollectValidation(json, validation);
            json.writeEndArray();
            json.writeArrayFieldStart("validation");
            for (JsonNode point : validation) {
                json.writeStartObject();
                json.writeFieldName("step");
                json.writeTree(point.get("step"));
                json.writeFieldName("validationLoss");
                json.writeTree(point.get(VALIDATION));
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    private void writeTrainCollectValidation(JsonGenerator json, List<JsonNode> validation) throws IOException {
        int trainWritten = 0;
        JsonNode last = null;
        boolean lastWritten = false;
        long validations = 0;
        JsonNode lastValidation = null;
        boolean lastValidationKept = false;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                JsonNode point = parse(line);
                if (point == null || !point.path("step").canConvertToLong()) continue;
                last = point;
                lastWritten = point.get("step").asLong() % every == 0 && trainWritten < maxPoints;
                if (lastWritten) {
                    writeTrainPoint(json, point);
                    trainWritten++;
                }
                if (point.hasNonNull(VALIDATION)) {
                    lastValidation = point;
                    lastValidationKept = ++validations % validationEvery == 0 && validation.size() < maxPoints;
                    if (lastValidationKept) validation.add(point);
                }
            }
        }
        if (last != null && !lastWritten) writeTrainPoint(json, last);
        if (lastValidation != null && !lastValidationKept) validation.add(lastValidation);
    }

    private static void writeTrainPoint(JsonGenerator json, JsonNode point) throws IOException {
        json.writeStartObject();
        for (String[] field : TRAIN_FIELDS) {
            JsonNode value = point.get(field[0]);
            if (value == null) continue;
            json.writeFieldName(field[1]);
            json.writeTree(value);
        }
        json.writeEndObject();
    }

    private static JsonNode parse(String line) {
        if (line.isBlank()) return null;
        try {
            JsonNode node = JSON.readTree(line);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
