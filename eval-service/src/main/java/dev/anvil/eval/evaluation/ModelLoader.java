package dev.anvil.eval.evaluation;

import dev.anvil.events.datadir.DataDirectory;
import dev.anvil.llm.generate.TextGenerator;
import dev.anvil.llm.lora.LoraAdapter;
import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.score.Scorer;
import dev.anvil.llm.text.Tokenizer;
import org.bytedeco.pytorch.Tensor;

import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Loads the sides of one evaluation. A model folder (weights and tokenizer) is loaded once however many sides use
 * it: an adapter candidate and its base baseline share one copy of the base, the adapter attached under the side's
 * label and routed per forward pass, so the base side still runs without it.
 */
final class ModelLoader {
    private final DataDirectory dataDir;
    private final int maxSeqLength;
    private final Map<Path, LlamaModel> loaded = new HashMap<>();
    private final Map<Path, Tokenizer> tokenizers = new HashMap<>();

    ModelLoader(DataDirectory dataDir, int maxSeqLength) {
        this.dataDir = dataDir;
        this.maxSeqLength = maxSeqLength;
    }

    SideModel load(ModelUnderTest side, String label) {
        Path dir = side.modelPath() != null ? dataDir.confined(Path.of(side.modelPath()), "modelPath")
                : dataDir.model(side.baseModel());
        LlamaModel model = loaded.computeIfAbsent(dir, d -> LlamaModel.load(d, LoadOptions.defaults()));
        long bytes = bytes(model.namedParameters().values());
        String adapter = null;
        if (side.adapterPath() != null) {
            LoraAdapter lora = LoraAdapter.load(dataDir.confined(Path.of(side.adapterPath()), "adapterPath"), label);
            lora.attachTo(model);
            bytes += bytes(lora.parameters().values());
            adapter = label;
        }
        Tokenizer tokenizer = tokenizers.computeIfAbsent(dir, Tokenizer::load);
        int context = model.config().maxPositions();
        return SideModel.of(label, new Scorer(model).withAdapter(adapter), new TextGenerator(model, tokenizer), adapter,
                tokenizer, Math.min(maxSeqLength, context), context, bytes);
    }

    private static long bytes(Collection<Tensor> tensors) {
        long n = 0;
        for (Tensor t : tensors) n += t.numel() * t.element_size();
        return n;
    }
}
