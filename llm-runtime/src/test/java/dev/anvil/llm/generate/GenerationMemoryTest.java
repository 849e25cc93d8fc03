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
     * Stated bounds on RSS (after a full GC, so Java garbage does not count) while generating 10,000 tokens after a
     * warm-up: at most 48 MiB above the post-warm-up value overall, and at most 16 MiB over the second 5,000 tokens,
     * where a steady per-step leak would show even after one-off growth (JIT, allocator arenas; other tests in the
     * same JVM) is done. Measured alone: flat within 2 MiB over 40,000 tokens (307-309 MiB).
     */
    static final long MAX_GROWTH_BYTES = 48L << 20;
    static final long MAX_SECOND_HALF_GROWTH_BYTES = 16L << 20;

    @Test
    void rssStaysFlatOverTenThousandGeneratedTokens() throws IOException {
        LlamaModel model = LlamaModel.load(Golden.model("aidreams260K"), LoadOptions.defaults());
        LoraAdapter.load(Golden.golden("peft-lora-aidreams260K"), "dreams").attachTo(model);
        TextGenerator generator = new TextGenerator(model, Tokenizer.load(Golden.model("aidreams260K")));

        generateAtLeast(generator, 3_000, 0); // warm up allocator caches and JIT
        long start = rss();
        long begin = System.nanoTime();
        int produced = generateAtLeast(generator, TOTAL_TOKENS / 2, 1_000);
        long half = rss();
        produced += generateAtLeast(generator, TOTAL_TOKENS - produced, 2_000);
        long end = rss();
        long millis = (System.nanoTime() - begin) / 1_000_000;
        System.out.printf("generated %d tokens in %d ms; RSS %d MiB, then %+d KiB after half, %+d KiB at the end%n",
                produced, millis, start >> 20, (half - start) >> 10, (end - start) >> 10);
        assertTrue(end - start < MAX_GROWTH_BYTES, "RSS grew by " + ((end - start) >> 20) + " MiB over " + produced
                + " tokens");
        assertTrue(end - half < MAX_SECOND_HALF_GROWTH_BYTES, "RSS grew by " + ((end - half) >> 20)
                + " MiB over the second half");
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
