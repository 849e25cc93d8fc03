package dev.anvil.trainer.recipe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code runs/<jobId>/metrics.jsonl}: one JSON object per optimizer step, appended as the run goes. */
final class MetricsLog {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    MetricsLog(Path file) {
        this.file = file;
    }

    void append(Progress p, double gradNorm) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", p.step());
        line.put("epoch", p.epoch());
        line.put("train_loss", p.trainLoss());
        if (!Double.isNaN(p.validationLoss())) line.put("validation_loss", p.validationLoss());
        line.put("learning_rate", p.learningRate());
        line.put("grad_norm", gradNorm);
        line.put("tokens_per_second", p.tokensPerSecond());
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * On resume: drops the lines of steps after the checkpoint (they were logged by the interrupted run and are
     * about to be run again), so every step appears once.
     */
    void truncateAfter(long step) {
        if (!Files.isRegularFile(file)) return;
        try {
            List<String> kept = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank() && stepOf(l) <= step).toList();
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, kept, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + file + ": " + e.getMessage(), e);
        }
    }

    private static long stepOf(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            return n.path("step").asLong(Long.MAX_VALUE);
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }
}
