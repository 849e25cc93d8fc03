package dev.anvil.llm.model;

import dev.anvil.llm.torch.DType;
import dev.anvil.llm.torch.Torch;
import dev.anvil.llm.weights.HfCheckpointWriter;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Random-weight checkpoints of any config shape, in Hugging Face layout, for benchmarks and tests: weights
 * N(0, 0.02) as transformers initialises them, norms 1, biases 0. The same seed gives the same checkpoint.
 */
public final class RandomCheckpoint {

    private RandomCheckpoint() {}

    public static Map<String, Tensor> tensors(ModelConfig config, DType dtype, long seed) {
        Torch.init();
        torch.manual_seed(seed);
        TensorOptions f32 = new TensorOptions(torch.ScalarType.Float);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        ParameterLayout.of(config).forEach((name, shape) -> {
            Tensor t;
            if (name.endsWith("norm.weight")) t = torch.ones(shape, f32);
            else if (name.endsWith(".bias")) t = torch.zeros(shape, f32);
            else t = torch.randn(shape, f32).mul(new Scalar(0.02));
            tensors.put(name, t.to(dtype.scalarType()));
        });
        return tensors;
    }

    /** Writes config.json and the safetensors (sharded above {@code maxShardBytes}) into {@code dir}. */
    public static void write(Path dir, ModelConfig config, DType dtype, long seed, long maxShardBytes) {
        HfCheckpointWriter.write(dir, config.withDtype(dtype.hfName()).toJson(), tensors(config, dtype, seed),
                maxShardBytes);
    }

    public static void write(Path dir, ModelConfig config, DType dtype, long seed) {
        write(dir, config, dtype, seed, Long.MAX_VALUE);
    }
}
