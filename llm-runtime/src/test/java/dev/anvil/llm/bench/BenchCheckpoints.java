package dev.anvil.llm.bench;

import dev.anvil.llm.model.RandomCheckpoint;
import dev.anvil.llm.torch.DType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the benchmark's random-weight fp32 checkpoints, one Hugging Face directory per {@link BenchShape}
 * (config.json, model.safetensors, tokenizer.json), so that every engine reads the very same files.
 * A directory that is already complete is left as it is (same seed, same bytes).
 *
 * <pre>java ... dev.anvil.llm.bench.BenchCheckpoints target/bench-models</pre>
 */
public final class BenchCheckpoints {

    static final long SEED = 20261128L;

    private BenchCheckpoints() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: BenchCheckpoints <output-dir>");
            System.exit(2);
        }
        Path root = Path.of(args[0]);
        for (BenchShape shape : BenchShape.values()) {
            Path dir = root.resolve(shape.dirName());
            if (Files.isRegularFile(dir.resolve("model.safetensors")) && Files.isRegularFile(dir.resolve("tokenizer.json"))) {
                System.out.println("exists: " + dir);
                continue;
            }
            Files.createDirectories(dir);
            RandomCheckpoint.write(dir, shape.config(), DType.FLOAT32, SEED);
            MinimalTokenizerJson.write(dir.resolve("tokenizer.json"), BenchShape.VOCAB);
            System.out.printf("wrote %s (%.1fM parameters, %.0f MB)%n", dir, shape.parameters() / 1e6,
                    Files.size(dir.resolve("model.safetensors")) / 1e6);
        }
    }
}
