package dev.anvil.trainer.recipe;

import java.nio.file.Path;
import java.util.Map;

import dev.anvil.llm.lora.LoraAdapter;
import dev.anvil.llm.model.LlamaModel;
import org.bytedeco.pytorch.Tensor;

/** What a run trains and saves: a LoRA adapter (PEFT layout) or, for full fine-tuning, every model weight (HF layout). */
sealed interface TrainableWeights {

    Map<String, Tensor> parameters();

    /** Dropout on while training, off while validating. */
    void setTraining(boolean training);

    void save(Path dir);

    record Adapter(LoraAdapter adapter) implements TrainableWeights {
        @Override
        public Map<String, Tensor> parameters() {
            return adapter.parameters();
        }

        @Override
        public void setTraining(boolean training) {
            adapter.setTraining(training);
        }

        @Override
        public void save(Path dir) {
            adapter.save(dir);
        }
    }

    record Full(LlamaModel model) implements TrainableWeights {
        @Override
        public Map<String, Tensor> parameters() {
            return model.namedParameters();
        }

        @Override
        public void setTraining(boolean training) {
            // The decoder has no dropout of its own.
        }

        @Override
        public void save(Path dir) {
            model.save(dir);
        }
    }
}
