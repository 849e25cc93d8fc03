package dev.anvil.llm.cli;

import dev.anvil.llm.model.ConfigException;
import dev.anvil.llm.model.ModelConfig;
import dev.anvil.llm.model.RandomCheckpoint;
import dev.anvil.llm.torch.DType;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** Writes a random-weight model of any config shape (for benchmarks and tests); no tokenizer. */
final class RandomModelCommand implements Command {
    @Override
    public String name() {
        return "random-model";
    }

    @Override
    public String usage() {
        return "--config FILE --out DIR [--seed S] [--dtype float32|bfloat16]";
    }

    @Override
    public void run(List<String> argv, CliPaths paths, PrintStream out, PrintStream err) {
        Args args = new Args(argv, Set.of("config", "out", "seed", "dtype"), Set.of());
        Path configFile = paths.existingFile("config", args.required("config"));
        Path outDir = paths.newDir("out", args.required("out"));
        long seed = args.longValue("seed", 0);
        DType dtype;
        ModelConfig config;
        try {
            dtype = DType.parse(args.has("dtype") ? args.required("dtype") : "float32");
            config = ModelConfig.read(configFile);
        } catch (IllegalArgumentException | ConfigException e) {
            throw new UsageException(e.getMessage());
        }
        RandomCheckpoint.write(outDir, config, dtype, seed);
        err.println("wrote a random " + config.modelType() + " model (" + dtype.hfName() + ", seed " + seed + ") to " + outDir);
    }
}
