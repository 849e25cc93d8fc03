package dev.anvil.trainer.tracking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.anvil.events.EventCodec;
import dev.anvil.events.training.TrainingMethod;
import dev.anvil.events.training.TrainingRequested;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The resolved configuration of a run: what the request asked for with every default filled in, so that a record
 * still says what ran after the defaults change. Shape: {@code baseModel}, {@code dataset {name, version}},
 * {@code method}, {@code hyperparameters} (without the LoRA ones; a field without value, such as {@code maxSteps}
 * when epochs decide, is left out), {@code lora {rank, alpha, dropout, targetModules}} (null for full
 * fine-tuning), {@code merge} (whether a merged model was asked for).
 */
public final class ExperimentConfig {
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private ExperimentConfig() {
    }

    public static Map<String, Object> of(TrainingRequested request) {
        Map<String, Object> hyperparameters =
                EventCodec.mapper().convertValue(request.hyperparameters().withDefaults(), MAP);
        Map<String, Object> lora = new LinkedHashMap<>();
        lora.put("rank", hyperparameters.remove("loraRank"));
        lora.put("alpha", hyperparameters.remove("loraAlpha"));
        lora.put("dropout", hyperparameters.remove("loraDropout"));
        lora.put("targetModules", hyperparameters.remove("targetModules"));
        Map<String, Object> dataset = new LinkedHashMap<>();
        dataset.put("name", request.dataset().name());
        dataset.put("version", request.dataset().version());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("baseModel", request.baseModel());
        config.put("dataset", dataset);
        config.put("method", request.method().wireName());
        config.put("hyperparameters", hyperparameters);
        config.put("lora", request.method() == TrainingMethod.FULL ? null : lora);
        config.put("merge", request.merge());
        return config;
    }

    public static String toJson(Map<String, Object> config) {
        try {
            return EventCodec.mapper().writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a config map always serialises", e);
        }
    }

    public static Map<String, Object> fromJson(String json) {
        try {
            return EventCodec.mapper().readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored config is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The config as dotted paths to leaf values ({@code hyperparameters.learningRate -> 0.01}); lists are leaves,
     * whole numbers are Longs and others Doubles (however the map was made), so that runs compare key by key.
     */
    public static Map<String, Object> flatten(Map<String, Object> config) {
        Map<String, Object> flat = new LinkedHashMap<>();
        flatten("", config, flat);
        return flat;
    }

    private static void flatten(String prefix, Map<?, ?> node, Map<String, Object> into) {
        for (Map.Entry<?, ?> e : node.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> child) flatten(key + ".", child, into);
            else into.put(key, e.getValue() instanceof Number n ? normalised(n) : e.getValue());
        }
    }

    private static Number normalised(Number n) {
        return n instanceof Double || n instanceof Float ? (Number) n.doubleValue() : (Number) n.longValue();
    }
}
