package dev.anvil.llm.cli;

import dev.anvil.llm.lora.LoraAdapter;
import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** Merges a LoRA adapter into the base weights and writes a Hugging Face model directory (tokenizer files copied). */
final class MergeCommand implements Command {
    @Override
    public String name() {
        return "merge";
    }

    @Override
    public String usage() {
        return "--model DIR --adapter DIR --out DIR";
    }

    @Override
    public void run(List<String> argv, CliPaths paths, PrintStream out, PrintStream err) {
        Args args = new Args(argv, Set.of("model", "adapter", "out"), Set.of());
        Path modelDir = paths.modelDir("model", args.required("model"), false);
        Path adapterDir = paths.adapterDir("adapter", args.required("adapter"));
        Path outDir = paths.newDir("out", args.required("out"));
        LlamaModel model = LlamaModel.load(modelDir, LoadOptions.defaults());
        LoraAdapter.load(adapterDir, ModelWithAdapter.ADAPTER).mergeInto(model);
        model.save(outDir);
        err.println("merged " + adapterDir + " into " + modelDir + " -> " + outDir);
    }
}
