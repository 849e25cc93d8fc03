package dev.anvil.llm.quant;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.model.ModelConfig;
import dev.anvil.llm.model.Projection;
import dev.anvil.llm.model.ProjectionKind;
import dev.anvil.llm.model.Unwrappable;
import dev.anvil.llm.torch.NativeScope;
import dev.anvil.llm.weights.Checkpoints;
import dev.anvil.llm.weights.HfCheckpointWriter;
import dev.anvil.llm.weights.SafetensorsException;
import dev.anvil.llm.weights.TensorSource;
import org.bytedeco.pytorch.Tensor;

/**
 * A model directory whose projections are stored in NF4, laid out as Hugging Face saves a bitsandbytes 4-bit
 * model: each quantized weight under its usual name as packed uint8 codes plus its {@code .absmax},
 * {@code .quant_map}, {@code .nested_absmax}, {@code .nested_quant_map} and {@code .quant_state.bitsandbytes__nf4}
 * tensors ({@link Nf4Tensor#toState}), every other tensor dense, and a {@code quantization_config} block in
 * {@code config.json}. Reading it back gives bit-identical NF4 state.
 */
public final class QuantizedCheckpoint {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String QUANTIZATION_CONFIG = "quantization_config";
    private static final long MAX_SHARD_BYTES = 2L << 30;

    private QuantizedCheckpoint() {
    }

    /** Writes {@code model} (its NF4 projections as NF4, the rest dense) with its tokenizer files to {@code dir}. */
    public static void save(LlamaModel model, Path dir) {
        Map<String, Nf4Linear> quantized = QuantizedBase.quantizedProjections(model);
        if (quantized.isEmpty()) throw new IllegalArgumentException("the model has no NF4 projections: use LlamaModel.save");
        for (int layer = 0; layer < model.numLayers(); layer++) {
            for (var kind : ProjectionKind.values()) {
                if (model.projection(layer, kind) instanceof Unwrappable) {
                    throw new IllegalStateException("cannot save " + kind.moduleName(layer)
                            + " with adapters attached: save the adapter on its own, or merge it first");
                }
            }
        }
        try (NativeScope scope = new NativeScope()) {
            Map<String, Tensor> tensors = new LinkedHashMap<>(model.namedParameters());
            for (Map.Entry<String, Nf4Linear> e : quantized.entrySet()) {
                Nf4Linear q = e.getValue();
                tensors.putAll(q.weight().toState(e.getKey() + ".weight"));
                if (q.bias() != null) tensors.put(e.getKey() + ".bias", q.bias());
            }
            ObjectNode config = model.configJson();
            config.set(QUANTIZATION_CONFIG, quantizationConfig(model, quantized));
            HfCheckpointWriter.write(dir, config, tensors, MAX_SHARD_BYTES);
            model.copyCompanionFiles(dir);
        }
    }

    /** transformers' {@code BitsAndBytesConfig} fields, so tools that read the config know what the weights are. */
    private static ObjectNode quantizationConfig(LlamaModel model, Map<String, Nf4Linear> quantized) {
        Nf4Tensor first = quantized.values().iterator().next().weight();
        ObjectNode q = JSON.createObjectNode();
        q.put("quant_method", "bitsandbytes");
        q.put("load_in_4bit", true);
        q.put("load_in_8bit", false);
        q.put("bnb_4bit_quant_type", "nf4");
        q.put("bnb_4bit_use_double_quant", first.doubleQuantized());
        q.put("bnb_4bit_compute_dtype", model.dtype().hfName());
        q.put("bnb_4bit_quant_storage", "uint8");
        q.put("blocksize", first.blockSize());
        ArrayNode modules = q.putArray("quantized_modules");
        quantized.keySet().forEach(modules::add);
        return q;
    }

    /** Whether {@code dir}'s config.json declares NF4 weights. */
    public static boolean isQuantized(Path dir) {
        return quantizationConfig(dir) != null;
    }

    /**
     * Loads a directory {@link #save} wrote: every weight that carries an NF4 quantization state becomes an
     * {@link Nf4Linear}; the other tensors load as {@link LlamaModel#load} loads them (in {@code options}' dtype).
     */
    public static LlamaModel load(Path dir, LoadOptions options) {
        JsonNode quantization = quantizationConfig(dir);
        if (quantization == null || !"nf4".equals(quantization.path("bnb_4bit_quant_type").asText())) {
            throw new IllegalArgumentException(dir.resolve("config.json") + ": no NF4 " + QUANTIZATION_CONFIG);
        }
        if (options.device().isCuda()) {
            throw new IllegalArgumentException("NF4 checkpoints load on the CPU only (device " + options.device() + ")");
        }
        ModelConfig config = ModelConfig.read(dir.resolve("config.json"));
        TensorSource source = Checkpoints.open(dir);
        Map<String, Projection> prebuilt = new LinkedHashMap<>();
        DequantScratch scratch = new DequantScratch();
        for (int layer = 0; layer < config.numLayers(); layer++) {
            for (var kind : ProjectionKind.values()) {
                String module = kind.moduleName(layer);
                String weight = module + ".weight";
                if (!source.contains(weight + Nf4StateDict.QUANT_STATE)) continue;
                Map<String, Tensor> state = new LinkedHashMap<>();
                for (String name : source.names()) {
                    if (name.equals(weight) || name.startsWith(weight + ".")) state.put(name, source.tensor(name));
                }
                Nf4Tensor nf4 = Nf4Tensor.fromState(state, weight);
                Tensor bias = source.contains(module + ".bias")
                        ? NativeScope.retain(source.tensor(module + ".bias").clone()) : null;
                prebuilt.put(module, new Nf4Linear(nf4, bias, scratch));
            }
        }
        if (prebuilt.isEmpty()) throw new SafetensorsException(dir + ": no tensor carries an NF4 quantization state");
        return LlamaModel.load(dir, options, config, source, prebuilt);
    }

    private static JsonNode quantizationConfig(Path dir) {
        JsonNode config = readJson(dir.resolve("config.json"));
        JsonNode q = config.get(QUANTIZATION_CONFIG);
        return q != null && q.isObject() ? q : null;
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
