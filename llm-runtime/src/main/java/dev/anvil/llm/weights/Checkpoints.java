package dev.anvil.llm.weights;

import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the weights of a Hugging Face model directory: {@code model.safetensors} or a sharded index. */
public final class Checkpoints {

    public static final String SINGLE_FILE = "model.safetensors";

    private Checkpoints() {}

    public static TensorSource open(Path modelDir) {
        Path single = modelDir.resolve(SINGLE_FILE);
        Path index = modelDir.resolve(ShardedCheckpoint.INDEX_FILE);
        if (Files.isRegularFile(single)) return SafetensorsFile.open(single);
        if (Files.isRegularFile(index)) return ShardedCheckpoint.open(index);
        throw new SafetensorsException(modelDir + ": no " + SINGLE_FILE + " or " + ShardedCheckpoint.INDEX_FILE
                + " (only safetensors checkpoints are read)");
    }
}
