package dev.anvil.llm.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.pytorch.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEFT's on-disk LoRA format: {@code adapter_config.json} and {@code adapter_model.safetensors} whose tensors are
 * named {@code base_model.model.<module>.lora_A.weight} ({@code [r, in]}) and {@code ...lora_B.weight}
 * ({@code [out, r]}). Features that change the math and are not implemented (DoRA, bias training, per-module
 * ranks, fan_in_fan_out, modules_to_save) are rejected by name.
 */
public final class PeftAdapterFiles {

    public static final String CONFIG_FILE = "adapter_config.json";
    public static final String WEIGHTS_FILE = "adapter_model.safetensors";
    private static final String PREFIX = "base_model.model.";
    private static final Pattern NAME = Pattern.compile("base_model\\.model\\.(.+)\\.lora_([AB])(?:\\.[^.]+)?\\.weight");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A and B of one adapted module. */
    public record LoraPair(Tensor a, Tensor b) {}

    /**
     * An adapter as stored.
     *
     * @param modules module name ("model.layers.0.self_attn.q_proj") -> its A and B (owned copies)
     */
    public record PeftAdapter(int r, double alpha, double dropout, boolean rsLora, List<String> targetModules,
                              String baseModel, Map<String, LoraPair> modules) {}

    private PeftAdapterFiles() {}

    /**
     * The base model an adapter names ({@code base_model_name_or_path}) by its last path segment, which is its name
     * under the data directory's {@code models/}; empty when the config names none.
     *
     * @throws SafetensorsException when the config cannot be read
     */
    public static Optional<String> baseModelName(Path dir) {
        Path configFile = dir.resolve(CONFIG_FILE);
        try {
            JsonNode base = JSON.readTree(configFile.toFile()).path("base_model_name_or_path");
            if (!base.isTextual() || base.asText().isBlank()) return Optional.empty();
            Path named = Path.of(base.asText()).getFileName();
            return named == null ? Optional.empty() : Optional.of(named.toString());
        } catch (IOException | InvalidPathException e) {
            throw new SafetensorsException(configFile + ": cannot read base_model_name_or_path: " + e.getMessage(), e);
        }
    }

    public static PeftAdapter read(Path dir) {
        Path configFile = dir.resolve(CONFIG_FILE);
        JsonNode c;
        try {
            c = JSON.readTree(configFile.toFile());
        } catch (IOException e) {
            throw new SafetensorsException(configFile + ": cannot read: " + e.getMessage(), e);
        }
        String where = configFile + ": ";
        requireValue(c, "peft_type", "LORA", where);
        if (c.path("use_dora").asBoolean(false)) throw new SafetensorsException(where + "use_dora=true is not supported");
        if (c.path("fan_in_fan_out").asBoolean(false)) throw new SafetensorsException(where + "fan_in_fan_out=true is not supported");
        if (!c.path("bias").asText("none").equals("none")) throw new SafetensorsException(where + "bias='" + c.path("bias").asText() + "' is not supported");
        if (nonEmpty(c.get("modules_to_save"))) throw new SafetensorsException(where + "modules_to_save is not supported");
        if (nonEmpty(c.get("rank_pattern")) || nonEmpty(c.get("alpha_pattern"))) {
            throw new SafetensorsException(where + "rank_pattern/alpha_pattern are not supported");
        }
        int r = c.path("r").asInt(0);
        if (r <= 0) throw new SafetensorsException(where + "'r' must be a positive integer");
        double alpha = c.path("lora_alpha").asDouble(r);
        List<String> targets = new ArrayList<>();
        JsonNode t = c.get("target_modules");
        if (t != null && t.isArray()) t.forEach(n -> targets.add(n.asText()));
        else if (t != null && t.isTextual()) targets.add(t.asText());

        SafetensorsFile file = SafetensorsFile.open(dir.resolve(WEIGHTS_FILE));
        Map<String, Tensor[]> pairs = new TreeMap<>();
        for (String name : file.names()) {
            Matcher m = NAME.matcher(name);
            if (!m.matches()) throw new SafetensorsException(file.path() + ": tensor '" + name + "' is not a LoRA A/B weight");
            TensorInfo info = file.info(name);
            boolean isA = m.group(2).equals("A");
            if (info.shape().length != 2 || info.shape()[isA ? 0 : 1] != r) {
                throw new SafetensorsException(file.path() + ": tensor '" + name + "' has shape " + info.shapeString()
                        + ", expected rank " + r + " in dimension " + (isA ? 0 : 1));
            }
            // Owned copies: adapters are small, and trainers update them in place.
            pairs.computeIfAbsent(m.group(1), k -> new Tensor[2])[isA ? 0 : 1] = file.tensor(name).clone();
        }
        Map<String, LoraPair> modules = new LinkedHashMap<>();
        pairs.forEach((module, ab) -> {
            if (ab[0] == null || ab[1] == null) {
                throw new SafetensorsException(file.path() + ": module '" + module + "' lacks its lora_"
                        + (ab[0] == null ? "A" : "B") + " tensor");
            }
            modules.put(module, new LoraPair(ab[0], ab[1]));
        });
        return new PeftAdapter(r, alpha, c.path("lora_dropout").asDouble(0), c.path("use_rslora").asBoolean(false),
                targets, c.path("base_model_name_or_path").asText(null), modules);
    }

    /** Writes both files in PEFT's layout (weights first, so a config never announces missing weights). */
    public static void write(Path dir, PeftAdapter adapter) {
        Map<String, Tensor> tensors = new TreeMap<>();
        adapter.modules().forEach((module, pair) -> {
            tensors.put(PREFIX + module + ".lora_A.weight", pair.a());
            tensors.put(PREFIX + module + ".lora_B.weight", pair.b());
        });
        try {
            Files.createDirectories(dir);
            SafetensorsWriter.write(dir.resolve(WEIGHTS_FILE), tensors, Map.of("format", "pt"));
            AtomicFiles.writeString(dir.resolve(CONFIG_FILE), JSON.writeValueAsString(configJson(adapter)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write adapter to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** adapter_config.json with the fields PEFT 0.x writes for a plain LoRA, so PEFT and vLLM load it as-is. */
    static ObjectNode configJson(PeftAdapter a) {
        ObjectNode c = JSON.createObjectNode();
        c.putObject("alpha_pattern");
        c.putNull("auto_mapping");
        if (a.baseModel() == null) c.putNull("base_model_name_or_path"); else c.put("base_model_name_or_path", a.baseModel());
        c.put("bias", "none");
        c.put("fan_in_fan_out", false);
        c.put("inference_mode", true);
        c.put("init_lora_weights", true);
        c.putNull("layer_replication");
        c.putNull("layers_pattern");
        c.putNull("layers_to_transform");
        c.putObject("loftq_config");
        // PEFT writes an integer alpha as an integer.
        if (a.alpha() == Math.rint(a.alpha())) c.put("lora_alpha", (long) a.alpha()); else c.put("lora_alpha", a.alpha());
        c.put("lora_bias", false);
        c.put("lora_dropout", a.dropout());
        c.putNull("megatron_config");
        c.put("megatron_core", "megatron.core");
        c.putNull("modules_to_save");
        c.put("peft_type", "LORA");
        c.put("r", a.r());
        c.putObject("rank_pattern");
        c.putNull("revision");
        c.putArray("target_modules").addAll(textNodes(a.targetModules()));
        c.put("task_type", "CAUSAL_LM");
        c.put("use_dora", false);
        c.put("use_rslora", a.rsLora());
        return c;
    }

    private static List<com.fasterxml.jackson.databind.JsonNode> textNodes(Collection<String> values) {
        List<JsonNode> nodes = new ArrayList<>();
        for (String v : values) nodes.add(JSON.getNodeFactory().textNode(v));
        return nodes;
    }

    private static void requireValue(JsonNode c, String field, String expected, String where) {
        String v = c.path(field).asText(expected);
        if (!v.equals(expected)) throw new SafetensorsException(where + "'" + field + "' is '" + v + "', only " + expected + " is supported");
    }

    private static boolean nonEmpty(JsonNode n) {
        return n != null && !n.isNull() && !(n.isContainerNode() && n.isEmpty());
    }
}
