package dev.anvil.llm.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anvil.llm.testing.Golden;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelConfigTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode config(String name) {
        return (ObjectNode) Golden.json(Golden.golden(name).resolve("config.json"));
    }

    @Test
    void readsTheThreeFamilies() {
        ModelConfig llama3 = ModelConfig.parse(config("llama3-tiny"));
        assertEquals(16, llama3.headDim());
        assertEquals(2, llama3.kvGroups());
        assertFalse(llama3.tieWordEmbeddings());
        assertEquals(new RopeConfig(500000, "llama3", 8, 1, 4, 64), llama3.rope());

        ModelConfig qwen = ModelConfig.parse(config("qwen2-tiny"));
        assertTrue(qwen.qkvBias() && !qwen.outputBias() && qwen.tieWordEmbeddings());
        assertEquals(16, qwen.headDim(), "derived from hidden_size / heads");
        assertEquals(1e6, qwen.rope().theta());

        ModelConfig mistral = ModelConfig.parse(config("mistral-tiny"));
        assertEquals(0, mistral.slidingWindow());
        assertEquals(RopeConfig.plain(10000), mistral.rope());

        ModelConfig aidreams = ModelConfig.read(Golden.model("aidreams260K").resolve("config.json"));
        assertEquals(RopeConfig.plain(10000), aidreams.rope(), "top-level rope_theta layout");
        assertEquals(1e-5, aidreams.rmsNormEps());
    }

    @Test
    void bothRopeLayoutsGiveTheSameConfig() {
        ObjectNode v5 = config("llama3-tiny");
        ObjectNode v4 = v5.deepCopy();
        JsonNode params = v4.remove("rope_parameters");
        v4.put("rope_theta", params.get("rope_theta").asDouble());
        ObjectNode scaling = v4.putObject("rope_scaling");
        scaling.put("rope_type", "llama3");
        for (String f : new String[]{"factor", "low_freq_factor", "high_freq_factor", "original_max_position_embeddings"}) {
            scaling.set(f, params.get(f));
        }
        assertEquals(ModelConfig.parse(v5), ModelConfig.parse(v4));
        // And the layout this library writes reads back the same.
        assertEquals(ModelConfig.parse(v5), ModelConfig.parse(ModelConfig.parse(v5).toJson()));
    }

    @Test
    void llama3ScalingMatchesTransformersFormula() {
        RopeConfig rope = ModelConfig.parse(config("llama3-tiny")).rope();
        float[] inv = rope.inverseFrequencies(16);
        float[] plain = RopeConfig.plain(500000).inverseFrequencies(16);
        assertEquals(plain[0], inv[0], "highest frequency unchanged");
        assertEquals(plain[7] / 8, inv[7], 1e-12, "lowest frequency divided by factor");
        assertArrayEquals(new float[]{1f, 0.1f}, new float[]{RopeConfig.plain(100).inverseFrequencies(4)[0],
                RopeConfig.plain(100).inverseFrequencies(4)[1]}, 1e-7f);
    }

    @Test
    void unsupportedFeaturesAreRejectedByName() {
        ObjectNode gpt2 = config("mistral-tiny").put("model_type", "gpt2");
        assertTrue(assertThrows(ConfigException.class, () -> ModelConfig.parse(gpt2)).getMessage().contains("model_type 'gpt2'"));

        ObjectNode yarn = config("llama3-tiny");
        ((ObjectNode) yarn.get("rope_parameters")).put("rope_type", "yarn");
        assertTrue(assertThrows(ConfigException.class, () -> ModelConfig.parse(yarn)).getMessage().contains("rope type 'yarn'"));

        ObjectNode gelu = config("llama3-tiny").put("hidden_act", "gelu");
        assertTrue(assertThrows(ConfigException.class, () -> ModelConfig.parse(gelu)).getMessage().contains("hidden_act"));

        ObjectNode badHeads = config("llama3-tiny").put("num_key_value_heads", 3);
        assertTrue(assertThrows(ConfigException.class, () -> ModelConfig.parse(badHeads)).getMessage().contains("num_key_value_heads"));

        ObjectNode noLayers = config("qwen2-tiny");
        noLayers.remove("num_hidden_layers");
        assertTrue(assertThrows(ConfigException.class, () -> ModelConfig.parse(noLayers)).getMessage().contains("'num_hidden_layers'"));

        ObjectNode incomplete = config("llama3-tiny");
        ((ObjectNode) incomplete.get("rope_parameters")).remove("low_freq_factor");
        assertTrue(assertThrows(ConfigException.class, () -> ModelConfig.parse(incomplete)).getMessage().contains("low_freq_factor"));
    }
}
