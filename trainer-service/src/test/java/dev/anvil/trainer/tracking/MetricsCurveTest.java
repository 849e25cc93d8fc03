package dev.anvil.trainer.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

class MetricsCurveTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code steps} lines as the recipe's MetricsLog writes them, a validation loss every {@code evalEvery} steps. */
    private static Path log(Path dir, int steps, int evalEvery) throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int step = 1; step <= steps; step++) {
                out.write("{\"step\":" + step + ",\"epoch\":0,\"train_loss\":" + (10.0 / step)
                        + (step % evalEvery == 0 ? ",\"validation_loss\":" + (20.0 / step) : "")
                        + ",\"learning_rate\":0.001,\"grad_norm\":0.5,\"tokens_per_second\":1000.0}\n");
            }
        }
        return file;
    }

    private static JsonNode curve(Path file, int every, int maxPoints) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MetricsCurve.read(file, every, maxPoints).writeTo(out);
        return JSON.readTree(out.toByteArray());
    }

    private static List<Long> steps(JsonNode series) {
        List<Long> steps = new ArrayList<>();
        series.forEach(p -> steps.add(p.get("step").asLong()));
        return steps;
    }

    @Test
    void aShortRunComesWhole(@TempDir Path dir) throws Exception {
        JsonNode curve = curve(log(dir, 5, 2), 1, 100);
        assertEquals(5, curve.get("lines").asLong());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), steps(curve.get("train")));
        JsonNode third = curve.get("train").get(2);
        assertEquals(10.0 / 3, third.get("trainLoss").asDouble(), 0.0);
        assertEquals(0.001, third.get("learningRate").asDouble(), 0.0);
        assertEquals(0.5, third.get("gradNorm").asDouble(), 0.0);
        assertEquals(1000.0, third.get("tokensPerSecond").asDouble(), 0.0);
        assertEquals(List.of(2L, 4L), steps(curve.get("validation")));
        assertEquals(20.0 / 4, curve.get("validation").get(1).get("validationLoss").asDouble(), 0.0);
    }

    @Test
    void everyThinsTheTrainSeriesButKeepsTheLastStep(@TempDir Path dir) throws Exception {
        JsonNode curve = curve(log(dir, 5, 2), 2, 100);
        assertEquals(2, curve.get("every").asLong());
        assertEquals(List.of(2L, 4L, 5L), steps(curve.get("train")));
        assertEquals(List.of(2L, 4L), steps(curve.get("validation")), "every does not thin validation points");
    }

    @Test
    void aLongRunIsThinnedToTheCap(@TempDir Path dir) throws Exception {
        JsonNode curve = curve(log(dir, 20_000, 10), 1, 200);
        assertEquals(100, curve.get("every").asLong());
        assertEquals(10, curve.get("validationEvery").asLong());
        List<Long> train = steps(curve.get("train"));
        assertEquals(200, train.size());
        assertEquals(100L, train.get(0));
        assertEquals(20_000L, train.get(train.size() - 1));
        List<Long> validation = steps(curve.get("validation"));
        assertEquals(200, validation.size());
        assertEquals(100L, validation.get(0));
        assertEquals(20_000L, validation.get(validation.size() - 1));
    }

    @Test
    void theLastPointsAreKeptWhenThinningSkipsThem(@TempDir Path dir) throws Exception {
        JsonNode curve = curve(log(dir, 1_003, 7), 1, 100);
        List<Long> train = steps(curve.get("train"));
        assertTrue(train.size() <= 101, "at most the cap and the last step: " + train.size());
        assertEquals(1_003L, train.get(train.size() - 1));
        List<Long> validation = steps(curve.get("validation"));
        assertTrue(validation.size() <= 101, "at most the cap and the last evaluation: " + validation.size());
        assertEquals(1_001L, validation.get(validation.size() - 1));
    }

    @Test
    void aLineBeingAppendedIsSkipped(@TempDir Path dir) throws Exception {
        Path file = log(dir, 3, 2);
        Files.writeString(file, "{\"step\":4,\"train_lo", StandardOpenOption.APPEND);
        assertEquals(List.of(1L, 2L, 3L), steps(curve(file, 1, 100).get("train")));
    }

    @Test
    void aRunWithoutStepsHasEmptySeries(@TempDir Path dir) throws Exception {
        for (Path file : new Path[] {null, dir.resolve("missing.jsonl")}) {
            JsonNode curve = curve(file, 1, 100);
            assertEquals(0, curve.get("lines").asLong());
            assertEquals(0, curve.get("train").size());
            assertEquals(0, curve.get("validation").size());
        }
    }
}
