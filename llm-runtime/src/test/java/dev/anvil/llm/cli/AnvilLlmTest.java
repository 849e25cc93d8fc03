package dev.anvil.llm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anvil.llm.lora.LoraAdapter;
import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.quant.QuantizedCheckpoint;
import dev.anvil.llm.testing.Golden;
import dev.anvil.llm.torch.NativeScope;
import dev.anvil.llm.torch.Tensors;
import org.bytedeco.pytorch.NoGradGuard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI run in-process against the real aidreams260K, stdout captured. */
class AnvilLlmTest {

    /** Stated tolerance against transformers' NLL and logits (float32). */
    static final double TOLERANCE = 1e-4;

    static final String MODEL = Golden.model("aidreams260K").toString();
    static final String ADAPTER = Golden.golden("peft-lora-aidreams260K").toString();
    static JsonNode golden;

    record Result(int code, String out, String err) {
    }

    @BeforeAll
    static void read() {
        golden = Golden.json(Golden.golden("aidreams260K_golden.json"));
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AnvilLlm.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String joined(JsonNode ids) {
        return Arrays.stream(Golden.ids(ids)).mapToObj(Long::toString).collect(Collectors.joining(","));
    }

    @Test
    void scoreIdsPrintsTheGoldenNll() throws IOException {
        Result r = run("score", "--model", MODEL, "--ids", joined(golden.get("nll_ids")));
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertArrayEquals(Golden.ids(golden.get("nll_ids")), Golden.ids(json.get("ids")));
        JsonNode expected = golden.get("token_nll");
        assertEquals(expected.size(), json.get("nll").size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).asDouble(), json.get("nll").get(i).asDouble(), TOLERANCE, "token " + (i + 1));
        }
        assertEquals(golden.get("mean_nll").asDouble(), json.get("mean_nll").asDouble(), TOLERANCE);
        assertEquals(golden.get("perplexity").asDouble(), json.get("perplexity").asDouble(), TOLERANCE * 25);
        assertTrue(json.get("logits") == null, "no logits unless asked");
    }

    @Test
    void scoreTextWithLogitsPrintsTheGoldenLogits() throws IOException {
        Result r = run("score", "--model", MODEL, "--text", golden.get("prompt").asText(), "--logits");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertArrayEquals(Golden.ids(golden.get("prompt_ids")), Golden.ids(json.get("ids")));
        float[][] expected = Golden.matrix(golden.get("logits"));
        float[][] actual = Golden.matrix(json.get("logits"));
        assertEquals(expected.length, actual.length);
        for (int t = 0; t < expected.length; t++) {
            for (int v = 0; v < expected[t].length; v++) assertEquals(expected[t][v], actual[t][v], TOLERANCE);
        }
    }

    @Test
    void scoreWithAdapterPrintsPeftLogits() throws IOException {
        JsonNode peft = Golden.json(Golden.golden("peft-lora-aidreams260K/golden.json"));
        Result r = run("score", "--model", MODEL, "--adapter", ADAPTER, "--ids", joined(peft.get("input_ids")),
                "--logits");
        assertEquals(0, r.code(), r.err());
        float[][] expected = Golden.matrix(peft.get("logits_with_adapter"));
        float[][] actual = Golden.matrix(new ObjectMapper().readTree(r.out()).get("logits"));
        assertEquals(expected.length, actual.length);
        for (int t = 0; t < expected.length; t++) {
            for (int v = 0; v < expected[t].length; v++) assertEquals(expected[t][v], actual[t][v], TOLERANCE);
        }
    }

    @Test
    void generateGreedyPrintsTheGoldenText() {
        Result r = run("generate", "--model", MODEL, "--prompt", golden.get("prompt").asText(),
                "--max-tokens", "40", "--temperature", "0");
        assertEquals(0, r.code(), r.err());
        assertEquals(golden.get("greedy_prompt_text").asText() + System.lineSeparator(), r.out());
        assertTrue(r.err().contains("finish: length, prompt tokens: 25, completion tokens: 40"), r.err());
    }

    @Test
    void generateWithAdapterAndChatRuns() {
        Result r = run("generate", "--model", MODEL, "--adapter", ADAPTER, "--prompt", "a dream", "--chat",
                "--system", "be brief", "--max-tokens", "8", "--temperature", "0.8", "--top-k", "20", "--top-p", "0.9",
                "--seed", "4");
        assertEquals(0, r.code(), r.err());
        assertEquals(r.out(), run("generate", "--model", MODEL, "--adapter", ADAPTER, "--prompt", "a dream", "--chat",
                "--system", "be brief", "--max-tokens", "8", "--temperature", "0.8", "--top-k", "20", "--top-p", "0.9",
                "--seed", "4").out(), "seeded: reproducible");
    }

    @Test
    void mergeWritesALoadableModelWithTheAdapterAttachedLogits(@TempDir Path tmp) {
        Path out = tmp.resolve("merged");
        Result r = run("merge", "--model", MODEL, "--adapter", ADAPTER, "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(out.resolve("tokenizer.json")), "tokenizer files copied");

        LlamaModel merged = LlamaModel.load(out, LoadOptions.defaults());
        LlamaModel attached = LlamaModel.load(Golden.model("aidreams260K"), LoadOptions.defaults());
        LoraAdapter.load(Golden.golden("peft-lora-aidreams260K"), "a").attachTo(attached);
        long[] ids = Golden.ids(golden.get("prompt_ids"));
        try (NativeScope s = new NativeScope(); NoGradGuard g = new NoGradGuard()) {
            float[] a = Tensors.toFloats(merged.forward(Golden.batchOf(ids), null));
            float[] b = Tensors.toFloats(attached.forward(Golden.batchOf(ids), null));
            double max = 0;
            for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
            assertTrue(max < 1e-5, "merged vs attached: max |logit diff| " + max);
        }
    }

    @Test
    void randomModelWritesAModelThatLoads(@TempDir Path tmp) {
        Path out = tmp.resolve("random");
        Result r = run("random-model", "--config", Golden.model("aidreams260K").resolve("config.json").toString(),
                "--out", out.toString(), "--seed", "3", "--dtype", "bfloat16");
        assertEquals(0, r.code(), r.err());
        LlamaModel model = LlamaModel.load(out, LoadOptions.defaults());
        assertEquals(4, model.numLayers());
        try (NativeScope s = new NativeScope(); NoGradGuard g = new NoGradGuard()) {
            assertTrue(Float.isFinite(model.forward(Golden.batchOf(new long[]{1, 5, 9}), null).sum().item_float()));
        }
    }

    @Test
    void quantizeWritesAnNf4CheckpointAndPrintsItsBitsPerParameter(@TempDir Path tmp) {
        Path out = tmp.resolve("nf4");
        Result r = run("quantize", "--model", MODEL, "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(QuantizedCheckpoint.isQuantized(out), "an NF4 checkpoint was written");
        // aidreams260K's matrices are too small to fill the last block of double-quantized scales: 4.134, not 4.127.
        assertTrue(r.out().contains("4.134 bits per parameter"), r.out());
    }

    @Test
    void badCommandLinesGetAClearMessageAndExitCode2(@TempDir Path tmp) throws IOException {
        Result missing = run("score", "--model", tmp.resolve("nope").toString(), "--ids", "1,2");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no such directory") && missing.err().contains("usage: anvil-llm score"),
                missing.err());

        Result notAModel = run("score", "--model", tmp.toString(), "--ids", "1,2");
        assertTrue(notAModel.err().contains("missing config.json"), notAModel.err());

        assertTrue(run("score", "--model", MODEL, "--ids", "1,x").err().contains("item 2 ('x') is not an integer"));
        assertTrue(run("score", "--model", MODEL).err().contains("exactly one of --ids and --text"));
        assertTrue(run("generate", "--model", MODEL, "--prompt", "hi", "--max-tokens", "4").err()
                .contains("--temperature is required"));
        assertTrue(run("generate", "--model", MODEL, "--prompt", "hi", "--max-tokens", "4", "--temperature", "-1")
                .err().contains("temperature must be"));
        assertTrue(run("generate", "--model", MODEL, "--prompt", "hi", "--max-tokens", "4", "--temperature", "0",
                "--frequency-penalty", "2.5").err().contains("frequency_penalty must be a finite number in [-2, 2]"));
        assertTrue(run("merge", "--bogus", "1").err().contains("unknown option --bogus"));
        Result tooLong = run("generate", "--model", MODEL, "--prompt", "hi", "--max-tokens", "128", "--temperature", "0");
        assertEquals(2, tooLong.code());
        assertTrue(tooLong.err().contains("exceeds the model's max_position_embeddings (128)"), tooLong.err());

        Files.writeString(tmp.resolve("taken"), "x");
        Result taken = run("merge", "--model", MODEL, "--adapter", ADAPTER, "--out", tmp.toString());
        assertTrue(taken.err().contains("exists and is not an empty directory"), taken.err());

        Result unknown = run("quantise");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("unknown command 'quantise'") && unknown.err().contains("random-model"));
    }
}
