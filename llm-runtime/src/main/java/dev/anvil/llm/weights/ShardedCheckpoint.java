package dev.anvil.llm.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.pytorch.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A checkpoint split over several safetensors files, listed by {@code model.safetensors.index.json}'s
 * {@code weight_map} (tensor name -> shard file name). Shard names must stay inside the checkpoint's directory.
 */
public final class ShardedCheckpoint implements TensorSource {

    public static final String INDEX_FILE = "model.safetensors.index.json";

    private final Map<String, SafetensorsFile> byTensor;

    private ShardedCheckpoint(Map<String, SafetensorsFile> byTensor) {
        this.byTensor = byTensor;
    }

    public static ShardedCheckpoint open(Path indexFile) {
        JsonNode weightMap;
        try {
            weightMap = new ObjectMapper().readTree(indexFile.toFile()).get("weight_map");
        } catch (IOException e) {
            throw new SafetensorsException(indexFile + ": cannot read index: " + e.getMessage(), e);
        }
        if (weightMap == null || !weightMap.isObject()) {
            throw new SafetensorsException(indexFile + ": no 'weight_map' object");
        }
        Path dir = indexFile.toAbsolutePath().getParent().normalize();
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
        weightMap.fields().forEachRemaining(e -> {
            String name = e.getKey();
            String shardName = e.getValue().asText();
            SafetensorsFile shard = shards.computeIfAbsent(shardName, s -> openShard(indexFile, dir, s));
            if (!shard.contains(name)) {
                throw new SafetensorsException(indexFile + ": weight_map puts tensor '" + name + "' in " + shardName
                        + " but that shard has no such tensor");
            }
            byTensor.put(name, shard);
        });
        return new ShardedCheckpoint(Collections.unmodifiableMap(byTensor));
    }

    private static SafetensorsFile openShard(Path indexFile, Path dir, String shardName) {
        Path shard = dir.resolve(shardName).normalize();
        if (!shard.startsWith(dir) || !shard.getParent().equals(dir)) {
            throw new SafetensorsException(indexFile + ": shard '" + shardName + "' is outside the checkpoint directory");
        }
        if (!Files.isRegularFile(shard)) {
            throw new SafetensorsException(indexFile + ": shard '" + shardName + "' does not exist");
        }
        return SafetensorsFile.open(shard);
    }

    @Override
    public Set<String> names() {
        return byTensor.keySet();
    }

    @Override
    public boolean contains(String name) {
        return byTensor.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        return shardOf(name).info(name);
    }

    @Override
    public Tensor tensor(String name) {
        return shardOf(name).tensor(name);
    }

    @Override
    public void release(String name) {
        shardOf(name).release(name);
    }

    private SafetensorsFile shardOf(String name) {
        SafetensorsFile shard = byTensor.get(name);
        if (shard == null) throw new SafetensorsException("sharded checkpoint: missing tensor '" + name + "'");
        return shard;
    }
}
