package dev.anvil.llm.model;

import dev.anvil.llm.torch.NativeScope;
import dev.anvil.llm.torch.Tensors;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The decode loop: batched autoregressive decoding with a KV cache. Prompts are left-padded to a common length, run
 * once, then extended one token per step. What differs between callers (greedy ids, sampled streamed text) plugs in
 * as a {@link TokenSelector} and a {@link RowListener}; batching, padding, positions and the cache live only here.
 *
 * <p>A row ends when its listener says so (the token that ended it is kept) or after its own token limit. Ended rows
 * leave the batch: their cache rows are dropped, so the remaining rows run as a smaller batch.
 */
public final class TokenGenerator {

    /** Told of every token a row takes; the decode loop's only way to learn that a row is done. */
    @FunctionalInterface
    public interface RowListener {
        /** @return true when row {@code row} must stop after {@code token} */
        boolean accept(int row, long token);
    }

    private final LlamaModel model;

    public TokenGenerator(LlamaModel model) {
        this.model = model;
    }

    /** Greedy continuation of one prompt. */
    public long[] greedy(long[] prompt, int maxNewTokens) {
        return generate(List.of(prompt), maxNewTokens, TokenSelector.GREEDY, Set.of(), null).get(0);
    }

    /**
     * @param adapterPerRow null, or one adapter name (null: base model) per prompt
     * @return the generated tokens of each prompt (without the prompt); a stop token ends its row and is kept
     */
    public List<long[]> generate(List<long[]> prompts, int maxNewTokens, TokenSelector selector, Set<Long> stopTokens,
                                 List<String> adapterPerRow) {
        if (prompts.isEmpty() || maxNewTokens < 1) return prompts.stream().map(p -> new long[0]).toList();
        int[] limits = new int[prompts.size()];
        Arrays.fill(limits, maxNewTokens);
        return decode(prompts, limits, adapterPerRow, selector, (row, token) -> stopTokens.contains(token));
    }

    /**
     * The one decode loop.
     *
     * @param prompts       token ids per row (not empty)
     * @param maxNewTokens  the most tokens each row may generate (each at least 1)
     * @param adapterPerRow null, or one adapter name (null: base model) per row; adapters must be attached
     * @return the generated tokens of each row
     */
    public List<long[]> decode(List<long[]> prompts, int[] maxNewTokens, List<String> adapterPerRow,
                               TokenSelector selector, RowListener listener) {
        int batch = prompts.size();
        checkRequests(prompts, maxNewTokens, adapterPerRow);
        int promptLen = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        int steps = Arrays.stream(maxNewTokens).max().orElse(0);
        long[][] ids = new long[batch][promptLen];
        // Every slot after the prompt holds a real token, so the mask of all steps is known up front (no growing).
        long[][] mask = new long[batch][promptLen + steps];
        for (int r = 0; r < batch; r++) {
            long[] p = prompts.get(r);
            int pad = promptLen - p.length;
            System.arraycopy(p, 0, ids[r], pad, p.length);
            Arrays.fill(mask[r], pad, promptLen + steps, 1);
        }
        List<List<Long>> out = new ArrayList<>(batch);
        for (int r = 0; r < batch; r++) out.add(new ArrayList<>());
        int[] running = new int[batch];
        Arrays.setAll(running, r -> r);

        // Tensors carried from step to step are released as soon as they are replaced: a long generation must not
        // wait for the garbage collector to free native memory (the JVM does not see it).
        KvCache cache = null;
        Tensor fullMask = null, input = null, positions = null; // null positions: the prompt's follow from the mask
        try (NoGradGuard noGrad = new NoGradGuard(); NativeScope outer = new NativeScope()) {
            cache = model.newCache(batch, promptLen + steps);
            Device device = model.device().toTorch();
            fullMask = carry(null, Tensors.longs(mask).to(device, ScalarType.Long));
            input = carry(null, Tensors.longs(ids).to(device, ScalarType.Long));
            AdapterRouting routing = routingOf(adapterPerRow, running);
            for (int step = 0; step < steps; step++) {
                try (NativeScope scope = new NativeScope()) {
                    int seen = cache.length() + (int) input.size(1);
                    Tensor stepMask = isPadded(prompts, running, promptLen) ? fullMask.narrow(1, 0, seen) : null;
                    Tensor logits = model.forward(input, positions, stepMask, cache, routing);
                    Tensor last = logits.select(1, logits.size(1) - 1).to(ScalarType.Float);
                    long[] chosen = selector.select(last, running.clone());
                    if (chosen.length != running.length) {
                        throw new IllegalStateException("selector chose " + chosen.length + " tokens for "
                                + running.length + " rows");
                    }
                    int[] keep = new int[running.length];
                    int kept = 0;
                    for (int i = 0; i < running.length; i++) {
                        int r = running[i];
                        out.get(r).add(chosen[i]);
                        boolean stop = listener.accept(r, chosen[i]);
                        if (!stop && out.get(r).size() < maxNewTokens[r]) keep[kept++] = i;
                    }
                    if (kept == 0) break;
                    long[] next = new long[kept];
                    long[] nextPositions = new long[kept];
                    int[] stillRunning = new int[kept];
                    for (int j = 0; j < kept; j++) {
                        int r = running[keep[j]];
                        next[j] = chosen[keep[j]];
                        // The new token sits right after its prompt and the tokens generated before it.
                        nextPositions[j] = prompts.get(r).length + out.get(r).size() - 1;
                        stillRunning[j] = r;
                    }
                    if (kept < running.length) {
                        Tensor index = Tensors.longs(Arrays.stream(keep, 0, kept).asLongStream().toArray(), kept)
                                .to(device, ScalarType.Long);
                        cache.keepRows(index);
                        fullMask = carry(fullMask, fullMask.index_select(0, index));
                        running = stillRunning;
                        routing = routingOf(adapterPerRow, running);
                    }
                    positions = carry(positions, Tensors.longs(nextPositions, kept, 1).to(device, ScalarType.Long));
                    input = carry(input, Tensors.longs(next, kept, 1).to(device, ScalarType.Long));
                }
            }
        } finally {
            for (Tensor t : new Tensor[]{fullMask, input, positions}) carry(t, null);
            if (cache != null) cache.release();
        }
        List<long[]> result = new ArrayList<>(batch);
        for (List<Long> tokens : out) result.add(tokens.stream().mapToLong(Long::longValue).toArray());
        return result;
    }

    /** Keeps {@code fresh} beyond the current scope and releases {@code old}, the tensor it replaces. */
    private static Tensor carry(Tensor old, Tensor fresh) {
        if (fresh != null) NativeScope.retain(fresh);
        if (old != null) old.releaseReference();
        return fresh;
    }

    private void checkRequests(List<long[]> prompts, int[] maxNewTokens, List<String> adapterPerRow) {
        int batch = prompts.size();
        if (batch == 0) throw new IllegalArgumentException("no prompts");
        if (maxNewTokens.length != batch) {
            throw new IllegalArgumentException(maxNewTokens.length + " token limits for " + batch + " prompts");
        }
        if (adapterPerRow != null && adapterPerRow.size() != batch) {
            throw new IllegalArgumentException(adapterPerRow.size() + " adapters for " + batch + " prompts");
        }
        int limit = model.config().maxPositions();
        for (int r = 0; r < batch; r++) {
            int len = prompts.get(r).length;
            if (len == 0) throw new IllegalArgumentException("prompt " + r + " is empty");
            if (maxNewTokens[r] < 1) throw new IllegalArgumentException("prompt " + r + ": maxNewTokens must be >= 1");
            if ((long) len + maxNewTokens[r] > limit) {
                throw new IllegalArgumentException("prompt " + r + ": prompt (" + len + ") + maxNewTokens ("
                        + maxNewTokens[r] + ") exceeds the model's max_position_embeddings (" + limit + ")");
            }
        }
    }

    /** A mask is needed only while some running row is shorter than the padded prompt. */
    private static boolean isPadded(List<long[]> prompts, int[] running, int promptLen) {
        for (int r : running) if (prompts.get(r).length != promptLen) return true;
        return false;
    }

    private static AdapterRouting routingOf(List<String> adapterPerRow, int[] running) {
        if (adapterPerRow == null) return null;
        List<String> names = new ArrayList<>(running.length);
        for (int r : running) names.add(adapterPerRow.get(r));
        return AdapterRouting.perRow(names);
    }
}
