package dev.anvil.llm.cli;

import dev.anvil.llm.lora.LoraAdapter;
import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;

import java.nio.file.Path;

/** The model of {@code --model}, with the adapter of {@code --adapter} attached when one is given. */
record ModelWithAdapter(LlamaModel model, String adapterName) {
    /** The name the CLI gives the one adapter it attaches. */
    static final String ADAPTER = "adapter";

    static ModelWithAdapter load(CliPaths paths, Args args, boolean needsTokenizer) {
        Path modelDir = paths.modelDir("model", args.required("model"), needsTokenizer);
        LlamaModel model = LlamaModel.load(modelDir, LoadOptions.defaults());
        if (!args.has("adapter")) return new ModelWithAdapter(model, null);
        LoraAdapter.load(paths.adapterDir("adapter", args.required("adapter")), ADAPTER).attachTo(model);
        return new ModelWithAdapter(model, ADAPTER);
    }
}
