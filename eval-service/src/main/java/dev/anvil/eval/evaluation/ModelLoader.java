package dev.anvil.eval.evaluation;

import dev.anvil.events.datadir.DataDirectory;
import dev.anvil.llm.lora.LoraAdapter;
import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.score.Scorer;
import dev.anvil.llm.text.Tokenizer;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Loads the sides of one evaluation. A model folder is loaded once however many sides use it: an adapter candidate
 * and its base baseline share one copy of the base, the adapter attached under the side's label and routed per
 * forward pass, so the base side still runs without it.
 */
final class ModelLoader {
    private final DataDirectory dataDir;
    private final int maxSeqLength;
    private final Map<Path, LlamaModel> loaded = new HashMap<>();

    ModelLoader(DataDirectory dataDir, int maxSeqLength) {
        this.dataDir = dataDir;
        this.maxSeqLength = maxSeqLength;
    }

    ScoredModel load(ModelUnderTest side, String label) {
        Path dir = side.modelPath() != null ? dataDir.confined(Path.of(side.modelPath()), "modelPath")
                : dataDir.model(side.baseModel());
        LlamaModel model = loaded.computeIfAbsent(dir, d -> LlamaModel.load(d, LoadOptions.defaults()));
        String adapter = null;
        if (side.adapterPath() != null) {
            LoraAdapter.load(dataDir.confined(Path.of(side.adapterPath()), "adapterPath"), label).attachTo(model);
            adapter = label;
        }
        return ScoredModel.of(label, new Scorer(model).withAdapter(adapter), Tokenizer.load(dir),
                Math.min(maxSeqLength, model.config().maxPositions()));
    }
}
