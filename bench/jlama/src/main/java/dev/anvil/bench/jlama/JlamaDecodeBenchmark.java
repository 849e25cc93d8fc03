package dev.anvil.bench.jlama;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import com.github.tjake.jlama.tensor.operations.TensorOperationsProvider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Jlama's side of the decode benchmark (scripts/bench-decode.sh; Anvil's side is llm-runtime's
 * {@code dev.anvil.llm.bench.DecodeBenchmark}, whose definitions this mirrors).
 *
 * <p>It drives Jlama's model directly over token ids, the same steps {@code AbstractModel.generate} takes minus its
 * tokenizer, its callbacks and its random draw: {@code batchForward} over the prompt into a KV buffer, then per new
 * token {@code forward(token, position, kvBuffer)} and {@code sample(..., temperature 0, ...)}, which applies the
 * final norm and the LM head and takes the argmax. Jlama 0.8.4 has no API that decodes several sequences in one
 * forward, so there is no batch-8 figure here: the script compares Anvil's batch 8 with this batch 1.
 *
 * <pre>java --add-modules jdk.incubator.vector --enable-preview -cp ... JlamaDecodeBenchmark DIR THREADS PREFILL_TOKENS</pre>
 */
public final class JlamaDecodeBenchmark {

    private static final int PROMPT_TOKENS = 16;
    private static final int NEW_TOKENS = 128;
    private static final int WARMUPS = 1;
    private static final int RUNS = 3;

    private final AbstractModel model;
    private final KvBufferCache caches;
    private final int vocab;

    private JlamaDecodeBenchmark(AbstractModel model) {
        this.model = model;
        this.caches = new KvBufferCache(model);
        this.vocab = model.getConfig().vocabularySize;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: JlamaDecodeBenchmark <checkpoint-dir> <threads> <prefill-tokens>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        int prefillTokens = Integer.parseInt(args[2]);
        AbstractModel model = ModelSupport.loadModel(dir.toFile(), null, DType.F32, DType.F32, Optional.empty(),
                Optional.of(threads));
        System.out.printf("jlama %s: fp32 weights and working memory, %d threads, kernels %s, load %s%n",
                dir.getFileName(), threads, TensorOperationsProvider.get().name(), loadAverage());
        JlamaDecodeBenchmark bench = new JlamaDecodeBenchmark(model);

        int[] prompt = prompt(0, PROMPT_TOKENS);
        int[] longPrompt = prompt(0, prefillTokens);
        int[] tokens = bench.greedy(prompt, NEW_TOKENS);
        report("decode_b1", time(() -> bench.greedy(prompt, NEW_TOKENS)), NEW_TOKENS);
        report("prefill", time(() -> bench.greedy(longPrompt, 1)), prefillTokens);
        System.out.println("TOKENS " + Arrays.stream(tokens).limit(16).mapToObj(Integer::toString).collect(Collectors.joining(" ")));
        System.out.println("load at end " + loadAverage());
        System.exit(0); // Jlama's thread pools are not daemons
    }

    /** Greedy continuation with a fresh KV buffer: one pass over the prompt, then one forward per new token. */
    private int[] greedy(int[] prompt, int newTokens) {
        int[] out = new int[newTokens];
        try (KvBufferCache.KvBuffer kv = caches.getEphemeralKvBuffer();
             AbstractTensor logits = model.makeDenseTensor(vocab)) {
            AbstractTensor hidden = model.batchForward(prompt, 0, kv);
            out[0] = model.sample(hidden.slice(hidden.shape().first() - 1), 0f, 0f, logits);
            hidden.close();
            for (int i = 1; i < newTokens; i++) {
                AbstractTensor h = model.forward(out[i - 1], prompt.length + i - 1, kv, Optional.empty());
                out[i] = model.sample(h, 0f, 0f, logits);
                h.close();
            }
        }
        return out;
    }

    /** Same ids as Anvil's DecodeBenchmark.prompt: java.util.Random(row) over [3, vocab). */
    private static int[] prompt(int row, int length) {
        Random random = new Random(row);
        int[] ids = new int[length];
        for (int i = 0; i < length; i++) ids[i] = 3 + random.nextInt(32000 - 3);
        return ids;
    }

    /** Best and median seconds of 3 runs after a warm-up (best: least disturbed by the shared machine). */
    private static double[] time(Runnable body) {
        for (int i = 0; i < WARMUPS; i++) body.run();
        double[] s = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            body.run();
            s[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(s);
        return new double[] {s[0], s[RUNS / 2]};
    }

    private static void report(String metric, double[] bestMedian, long tokens) {
        System.out.printf("RESULT %s %.2f  (%.1f tok/s (median %.1f), best %.3f s)%n", metric, tokens / bestMedian[0],
                tokens / bestMedian[0], tokens / bestMedian[1], bestMedian[0]);
    }

    private static String loadAverage() throws IOException {
        Path proc = Path.of("/proc/loadavg");
        return Files.isReadable(proc) ? Files.readString(proc).trim() : "n/a";
    }
}
