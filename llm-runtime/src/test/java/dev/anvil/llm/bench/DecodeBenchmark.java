package dev.anvil.llm.bench;

import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.model.TokenGenerator;
import dev.anvil.llm.model.TokenSelector;
import dev.anvil.llm.torch.Torch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Anvil's side of the decode benchmark (scripts/bench-decode.sh runs it against Jlama's side, bench/jlama):
 * greedy generation through {@link TokenGenerator} (Anvil's batched decode loop with a KV cache), on one checkpoint
 * directory. Three rates, each the best of 3 runs after a warm-up run:
 * <ul>
 *   <li>{@code decode_b1}: 128 new tokens after a 16-token prompt, one sequence; new tokens / wall time
 *       (the 16-token prompt pass is included, as on Jlama's side);</li>
 *   <li>{@code decode_b8}: the same for 8 sequences decoded together (one forward per step for all 8);
 *       all new tokens / wall time;</li>
 *   <li>{@code prefill}: one prompt of {@link BenchShape#prefillTokens()} tokens and its first new token;
 *       prompt tokens / wall time.</li>
 * </ul>
 * Lines starting with {@code RESULT} and {@code TOKENS} are read by the script; the greedy tokens of the first
 * sequence let it check that both engines computed the same model.
 *
 * <pre>
 * OMP_WAIT_POLICY=PASSIVE THP_MEM_ALLOC_ENABLE=1 java -Danvil.torch.threads=2 -cp ... \
 *     dev.anvil.llm.bench.DecodeBenchmark target/bench-models/llama110m
 * </pre>
 */
public final class DecodeBenchmark {

    static final int PROMPT_TOKENS = 16;
    static final int NEW_TOKENS = 128;
    static final int BATCH = 8;
    private static final int WARMUPS = 1;
    private static final int RUNS = 3;

    private DecodeBenchmark() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: DecodeBenchmark <checkpoint-dir of a BenchShape>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        BenchShape shape = BenchShape.valueOf(dir.getFileName().toString().toUpperCase());
        Torch.ThreadLayout threads = Torch.threadLayout();
        LlamaModel model = LlamaModel.load(dir, LoadOptions.defaults());
        TokenGenerator generator = new TokenGenerator(model);
        System.out.printf("anvil %s: %.1fM parameters, fp32, torch threads %d, blas threads %d, OMP passive wait %b, "
                        + "THP_MEM_ALLOC_ENABLE=%s, load %s%n", shape.dirName(), shape.parameters() / 1e6,
                threads.torchThreads(), threads.blasThreads(), threads.passiveWait(), System.getenv("THP_MEM_ALLOC_ENABLE"),
                loadAverage());

        List<long[]> one = List.of(prompt(0, PROMPT_TOKENS));
        List<long[]> eight = new ArrayList<>();
        for (int row = 0; row < BATCH; row++) eight.add(prompt(row, PROMPT_TOKENS));
        List<long[]> longPrompt = List.of(prompt(0, shape.prefillTokens()));

        long[] tokens = generator.generate(one, NEW_TOKENS, TokenSelector.GREEDY, Set.of(), null).get(0);
        BestOf b1 = BestOf.time(WARMUPS, RUNS, () -> generator.generate(one, NEW_TOKENS, TokenSelector.GREEDY, Set.of(), null));
        report("decode_b1", b1, NEW_TOKENS);
        BestOf b8 = BestOf.time(WARMUPS, RUNS, () -> generator.generate(eight, NEW_TOKENS, TokenSelector.GREEDY, Set.of(), null));
        report("decode_b8", b8, (long) BATCH * NEW_TOKENS);
        BestOf prefill = BestOf.time(WARMUPS, RUNS, () -> generator.generate(longPrompt, 1, TokenSelector.GREEDY, Set.of(), null));
        report("prefill", prefill, shape.prefillTokens());
        System.out.println("TOKENS " + Arrays.stream(tokens).limit(16).mapToObj(Long::toString).collect(Collectors.joining(" ")));
        System.out.println("load at end " + loadAverage());
    }

    /**
     * Prompt {@code row}: ids drawn from {@code java.util.Random(row)} over {@code [3, vocab)} (no special tokens).
     * bench/jlama's JlamaDecodeBenchmark draws the same ids.
     */
    static long[] prompt(int row, int length) {
        Random random = new Random(row);
        long[] ids = new long[length];
        for (int i = 0; i < length; i++) ids[i] = 3 + random.nextInt(BenchShape.VOCAB - 3);
        return ids;
    }

    private static void report(String metric, BestOf timing, long tokens) {
        System.out.printf("RESULT %s %.2f  (%s, best %.3f s)%n", metric, tokens / timing.bestSeconds(),
                timing.rate(tokens), timing.bestSeconds());
    }

    private static String loadAverage() throws IOException {
        Path proc = Path.of("/proc/loadavg");
        return Files.isReadable(proc) ? Files.readString(proc).trim() : "n/a";
    }
}
