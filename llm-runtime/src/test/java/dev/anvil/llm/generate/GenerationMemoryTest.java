package dev.anvil.llm.generate;

import dev.anvil.llm.lora.LoraAdapter;
import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.testing.Golden;
import dev.anvil.llm.text.Tokenizer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Long generation must not grow native memory: every step's tensors are freed, not left to the GC. */
class GenerationMemoryTest {

    static final int TOTAL_TOKENS = 10_000;
    /**
     * Stated bound on RSS growth while generating 10,000 tokens after a warm-up. A leaked step (logits, cache views,
     * sampler temporaries: tens of KiB each here) would exceed it several times over.
     */
    static final long MAX_GROWTH_BYTES = 32L << 20;

    @Test
    void rssStaysFlatOverTenThousandGeneratedTokens() throws IOException {
        LlamaModel model = LlamaModel.load(Golden.model("aidreams260K"), LoadOptions.defaults());
        LoraAdapter.load(Golden.golden("peft-lora-aidreams260K"), "dreams").attachTo(model);
        TextGenerator generator = new TextGenerator(model, Tokenizer.load(Golden.model("aidreams260K")));

        generateAtLeast(generator, 1_500, 0); // warm up allocator caches and JIT
        long before = rss();
        long start = System.nanoTime();
        int produced = generateAtLeast(generator, TOTAL_TOKENS, 1_000);
        long millis = (System.nanoTime() - start) / 1_000_000;
        long growth = rss() - before;
        System.out.printf("generated %d tokens in %d ms, RSS %d MiB, growth %+d KiB%n", produced, millis, before >> 20,
                growth >> 10);
        assertTrue(growth < MAX_GROWTH_BYTES, "RSS grew by " + (growth >> 20) + " MiB over " + produced + " tokens");
    }

    /**
     * Batches of sixteen mixed requests (sampled, greedy, with and without the adapter, rows ending at different
     * steps) until {@code total} tokens: wide batches keep the test fast, since a step's cost is mostly per-call.
     */
    private static int generateAtLeast(TextGenerator generator, int total, long seedBase) {
        int produced = 0;
        for (long seed = seedBase; produced < total; seed++) {
            List<GenerationRequest> batch = new ArrayList<>();
            for (int i = 0; i < 4; i++) addFour(batch, seed * 4 + i);
            for (Generation g : generator.generate(batch, TokenListener.NONE)) produced += g.usage().completionTokens();
        }
        return produced;
    }

    private static void addFour(List<GenerationRequest> batch, long seed) {
        batch.add(new GenerationRequest(new int[]{1}, SamplingParams.defaults().withSeed(seed).withMaxTokens(120)));
        batch.add(new GenerationRequest(new int[]{1, 319}, SamplingParams.greedy(100), "dreams"));
        batch.add(new GenerationRequest(new int[]{1, 352, 375}, SamplingParams.defaults().withTopK(20)
                .withTopP(0.9).withRepetitionPenalty(1.2).withSeed(seed).withMaxTokens(110)));
        batch.add(new GenerationRequest(new int[]{1, 303}, SamplingParams.greedy(90).withStop(List.of("zzz"))));
    }

    /** After a full GC, so that the Java heap's garbage does not count (native memory is what this test is about). */
    private static long rss() throws IOException {
        System.gc();
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
