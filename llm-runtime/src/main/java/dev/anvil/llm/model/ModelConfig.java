package dev.anvil.llm.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The shape of a Llama-family decoder, read from a Hugging Face {@code config.json}. The families differ only in
 * switches: Qwen2 has q/k/v biases, Mistral may use a sliding attention window, Llama 3 scales its rotary
 * frequencies. Anything this decoder would compute differently from transformers is rejected here, by name.
 *
 * @param qkvBias       q/k/v projections have biases (Qwen2 always; Llama with {@code attention_bias})
 * @param outputBias    o_proj has a bias (Llama with {@code attention_bias}; never Qwen2)
 * @param slidingWindow attention window in tokens, 0 for none
 */
public record ModelConfig(String modelType, int hiddenSize, int numLayers, int numHeads, int numKvHeads, int headDim,
                          int intermediateSize, int vocabSize, double rmsNormEps, boolean tieWordEmbeddings,
                          boolean qkvBias, boolean outputBias, int maxPositions, RopeConfig rope, int slidingWindow,
                          Integer bosTokenId, List<Integer> eosTokenIds, String dtype) {

    public static final Set<String> MODEL_TYPES = Set.of("llama", "mistral", "qwen2");
    private static final ObjectMapper JSON = new ObjectMapper();

    public ModelConfig {
        eosTokenIds = List.copyOf(eosTokenIds);
        if (numHeads % numKvHeads != 0) {
            throw new ConfigException("num_attention_heads (" + numHeads + ") must be a multiple of num_key_value_heads ("
                    + numKvHeads + ")");
        }
        if (headDim % 2 != 0) throw new ConfigException("head_dim (" + headDim + ") must be even for rotary embeddings");
    }

    public static ModelConfig read(Path configJson) {
        try {
            return parse(JSON.readTree(configJson.toFile()));
        } catch (IOException e) {
            throw new ConfigException(configJson + ": cannot read: " + e.getMessage());
        }
    }

    public static ModelConfig parse(JsonNode c) {
        if (c == null || !c.isObject()) throw new ConfigException("config.json must be a JSON object");
        String type = c.path("model_type").asText("");
        if (!MODEL_TYPES.contains(type)) {
            throw new ConfigException("model_type '" + type + "' is not supported (supported: llama, mistral, qwen2)");
        }
        String act = c.path("hidden_act").asText("silu");
        if (!act.equals("silu")) throw new ConfigException("hidden_act '" + act + "' is not supported (only silu)");
        if (c.path("mlp_bias").asBoolean(false)) throw new ConfigException("mlp_bias=true is not supported");
        int pretrainingTp = c.path("pretraining_tp").asInt(1);
        if (pretrainingTp != 1) throw new ConfigException("pretraining_tp=" + pretrainingTp + " is not supported");

        int hidden = positiveInt(c, "hidden_size");
        int heads = positiveInt(c, "num_attention_heads");
        int kvHeads = c.hasNonNull("num_key_value_heads") ? positiveInt(c, "num_key_value_heads") : heads;
        int headDim;
        if (c.hasNonNull("head_dim")) {
            headDim = positiveInt(c, "head_dim");
        } else {
            if (hidden % heads != 0) {
                throw new ConfigException("hidden_size (" + hidden + ") is not divisible by num_attention_heads ("
                        + heads + ") and no head_dim is given");
            }
            headDim = hidden / heads;
        }
        boolean qwen = type.equals("qwen2");
        boolean attentionBias = c.path("attention_bias").asBoolean(false);
        boolean qkvBias = qwen || attentionBias;
        boolean outputBias = !qwen && attentionBias;

        return new ModelConfig(type, hidden, positiveInt(c, "num_hidden_layers"), heads, kvHeads, headDim,
                positiveInt(c, "intermediate_size"), positiveInt(c, "vocab_size"),
                c.path("rms_norm_eps").asDouble(1e-6), c.path("tie_word_embeddings").asBoolean(false),
                qkvBias, outputBias, c.path("max_position_embeddings").asInt(2048), parseRope(c),
                slidingWindow(c, type), c.hasNonNull("bos_token_id") ? c.get("bos_token_id").asInt() : null,
                eosIds(c.get("eos_token_id")), dtype(c));
    }

    private static int positiveInt(JsonNode c, String field) {
        JsonNode n = c.get(field);
        if (n == null || n.isNull()) throw new ConfigException("config.json: missing '" + field + "'");
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() <= 0) {
            throw new ConfigException("config.json: '" + field + "' must be a positive integer, got " + n);
        }
        return n.asInt();
    }

    /** Reads both layouts: transformers 5's {@code rope_parameters} block, or top-level {@code rope_theta} + {@code rope_scaling}. */
    private static RopeConfig parseRope(JsonNode c) {
        JsonNode params = c.get("rope_parameters");
        JsonNode scaling;
        double theta;
        if (params != null && params.isObject()) {
            scaling = params;
            theta = params.path("rope_theta").asDouble(c.path("rope_theta").asDouble(10000.0));
        } else {
            scaling = c.get("rope_scaling");
            theta = c.path("rope_theta").asDouble(10000.0);
        }
        if (!(theta > 0)) throw new ConfigException("config.json: rope_theta must be positive, got " + theta);
        double partial = c.path("partial_rotary_factor").asDouble(
                scaling == null ? 1.0 : scaling.path("partial_rotary_factor").asDouble(1.0));
        if (partial != 1.0) throw new ConfigException("partial_rotary_factor=" + partial + " is not supported");
        if (scaling == null || scaling.isNull()) return RopeConfig.plain(theta);
        String type = scaling.hasNonNull("rope_type") ? scaling.get("rope_type").asText()
                : scaling.path("type").asText(RopeConfig.DEFAULT);
        switch (type) {
            case RopeConfig.DEFAULT:
                return RopeConfig.plain(theta);
            case RopeConfig.LLAMA3:
                return new RopeConfig(theta, RopeConfig.LLAMA3, requiredDouble(scaling, "factor"),
                        requiredDouble(scaling, "low_freq_factor"), requiredDouble(scaling, "high_freq_factor"),
                        (int) requiredDouble(scaling, "original_max_position_embeddings"));
            default:
                throw new ConfigException("rope type '" + type + "' is not supported (supported: default, llama3)");
        }
    }

    private static double requiredDouble(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber() || !(v.asDouble() > 0)) {
            throw new ConfigException("config.json: rope scaling needs a positive '" + field + "', got " + v);
        }
        return v.asDouble();
    }

    private static int slidingWindow(JsonNode c, String type) {
        JsonNode w = c.get("sliding_window");
        if (type.equals("qwen2")) {
            if (c.path("use_sliding_window").asBoolean(false)) {
                throw new ConfigException("qwen2 use_sliding_window=true is not supported");
            }
            return 0;
        }
        if (type.equals("mistral") && w != null && !w.isNull()) {
            if (!w.canConvertToInt() || w.asInt() <= 0) {
                throw new ConfigException("config.json: 'sliding_window' must be a positive integer or null, got " + w);
            }
            return w.asInt();
        }
        return 0;
    }

    private static List<Integer> eosIds(JsonNode n) {
        List<Integer> ids = new ArrayList<>();
        if (n == null || n.isNull()) return ids;
        if (n.isArray()) n.forEach(e -> ids.add(e.asInt()));
        else ids.add(n.asInt());
        return ids;
    }

    private static String dtype(JsonNode c) {
        JsonNode d = c.hasNonNull("dtype") ? c.get("dtype") : c.get("torch_dtype");
        return d == null || d.isNull() ? "float32" : d.asText();
    }

    public int kvGroups() {
        return numHeads / numKvHeads;
    }

    /** A config.json in the layout transformers writes (top-level rope fields, read by transformers 4 and 5). */
    public ObjectNode toJson() {
        ObjectNode c = JSON.createObjectNode();
        String arch = switch (modelType) {
            case "mistral" -> "MistralForCausalLM";
            case "qwen2" -> "Qwen2ForCausalLM";
            default -> "LlamaForCausalLM";
        };
        c.putArray("architectures").add(arch);
        c.put("model_type", modelType);
        c.put("hidden_size", hiddenSize);
        c.put("intermediate_size", intermediateSize);
        c.put("num_hidden_layers", numLayers);
        c.put("num_attention_heads", numHeads);
        c.put("num_key_value_heads", numKvHeads);
        c.put("head_dim", headDim);
        c.put("vocab_size", vocabSize);
        c.put("max_position_embeddings", maxPositions);
        c.put("rms_norm_eps", rmsNormEps);
        c.put("hidden_act", "silu");
        c.put("tie_word_embeddings", tieWordEmbeddings);
        if (!modelType.equals("qwen2")) c.put("attention_bias", qkvBias);
        if (modelType.equals("mistral")) {
            if (slidingWindow > 0) c.put("sliding_window", slidingWindow); else c.putNull("sliding_window");
        }
        c.put("rope_theta", rope.theta());
        if (rope.isLlama3()) {
            ObjectNode s = c.putObject("rope_scaling");
            s.put("rope_type", RopeConfig.LLAMA3);
            s.put("factor", rope.factor());
            s.put("low_freq_factor", rope.lowFreqFactor());
            s.put("high_freq_factor", rope.highFreqFactor());
            s.put("original_max_position_embeddings", rope.originalMaxPositions());
        }
        if (bosTokenId != null) c.put("bos_token_id", bosTokenId);
        if (eosTokenIds.size() == 1) c.put("eos_token_id", eosTokenIds.get(0));
        else if (!eosTokenIds.isEmpty()) eosTokenIds.forEach(c.withArray("eos_token_id")::add);
        c.put("torch_dtype", dtype);
        return c;
    }

    public ModelConfig withDtype(String newDtype) {
        return new ModelConfig(modelType, hiddenSize, numLayers, numHeads, numKvHeads, headDim, intermediateSize,
                vocabSize, rmsNormEps, tieWordEmbeddings, qkvBias, outputBias, maxPositions, rope, slidingWindow,
                bosTokenId, eosTokenIds, newDtype);
    }
}
