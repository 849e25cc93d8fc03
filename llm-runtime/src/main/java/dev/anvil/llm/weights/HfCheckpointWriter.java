package dev.anvil.llm.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.pytorch.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a model directory in Hugging Face's layout: {@code config.json} and {@code model.safetensors}, or, above
 * {@code maxShardBytes}, {@code model-0000i-of-0000n.safetensors} shards with {@code model.safetensors.index.json}.
 * Each file is written atomically; the index (or single file) last, so a reader never sees an index whose shards
 * are missing.
 */
public final class HfCheckpointWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private HfCheckpointWriter() {}

    public static void write(Path dir, ObjectNode configJson, Map<String, Tensor> tensors, long maxShardBytes) {
        try {
            Files.createDirectories(dir);
            AtomicFiles.writeString(dir.resolve("config.json"), JSON.writeValueAsString(configJson));
            List<Map<String, Tensor>> shards = split(tensors, maxShardBytes);
            Map<String, String> meta = Map.of("format", "pt");
            if (shards.size() == 1) {
                SafetensorsWriter.write(dir.resolve(Checkpoints.SINGLE_FILE), shards.get(0), meta);
                Files.deleteIfExists(dir.resolve(ShardedCheckpoint.INDEX_FILE));
                return;
            }
            ObjectNode index = JSON.createObjectNode();
            long total = tensors.values().stream().mapToLong(Tensor::nbytes).sum();
            index.putObject("metadata").put("total_size", total);
            ObjectNode weightMap = index.putObject("weight_map");
            for (int i = 0; i < shards.size(); i++) {
                String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
                SafetensorsWriter.write(dir.resolve(name), shards.get(i), meta);
                for (String t : shards.get(i).keySet()) weightMap.put(t, name);
            }
            AtomicFiles.writeString(dir.resolve(ShardedCheckpoint.INDEX_FILE), JSON.writeValueAsString(index));
            Files.deleteIfExists(dir.resolve(Checkpoints.SINGLE_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static List<Map<String, Tensor>> split(Map<String, Tensor> tensors, long maxShardBytes) {
        List<Map<String, Tensor>> shards = new ArrayList<>();
        Map<String, Tensor> current = new LinkedHashMap<>();
        long size = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            long n = e.getValue().nbytes();
            if (!current.isEmpty() && size + n > maxShardBytes) {
                shards.add(current);
                current = new LinkedHashMap<>();
                size = 0;
            }
            current.put(e.getKey(), e.getValue());
            size += n;
        }
        shards.add(current);
        return shards;
    }
}
