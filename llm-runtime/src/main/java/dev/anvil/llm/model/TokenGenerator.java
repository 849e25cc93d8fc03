package dev.anvil.llm.model;

import dev.anvil.llm.torch.NativeScope;
import dev.anvil.llm.torch.Tensors;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Batched autoregressive decoding with a KV cache: prompts are left-padded to a common length, run once, then
 * extended one token per step. A row stops at a stop token (which it keeps) or after {@code maxNewTokens}.
 */
public final class TokenGenerator {

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
     * @return the generated tokens of each prompt (without the prompt)
     */
    public List<long[]> generate(List<long[]> prompts, int maxNewTokens, TokenSelector selector, Set<Long> stopTokens,
                                 List<String> adapterPerRow) {
        if (prompts.isEmpty() || maxNewTokens < 1) return prompts.stream().map(p -> new long[0]).toList();
        int batch = prompts.size();
        int promptLen = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        if (prompts.stream().anyMatch(p -> p.length == 0)) throw new IllegalArgumentException("empty prompt");
        if (adapterPerRow != null && adapterPerRow.size() != batch) {
            throw new IllegalArgumentException(adapterPerRow.size() + " adapters for " + batch + " prompts");
        }
        int limit = model.config().maxPositions();
        if (promptLen + maxNewTokens > limit) {
            throw new IllegalArgumentException("prompt (" + promptLen + ") + maxNewTokens (" + maxNewTokens
                    + ") exceeds the model's max_position_embeddings (" + limit + ")");
        }
        long[][] ids = new long[batch][promptLen];
        long[][] mask = new long[batch][promptLen];
        for (int r = 0; r < batch; r++) {
            long[] p = prompts.get(r);
            int pad = promptLen - p.length;
            System.arraycopy(p, 0, ids[r], pad, p.length);
            Arrays.fill(mask[r], pad, promptLen, 1);
        }
        boolean padded = prompts.stream().anyMatch(p -> p.length != promptLen);
        AdapterRouting routing = adapterPerRow == null ? null : AdapterRouting.perRow(adapterPerRow);
        long[][] out = new long[batch][maxNewTokens];
        int[] produced = new int[batch];
        boolean[] done = new boolean[batch];

        try (NoGradGuard noGrad = new NoGradGuard(); NativeScope outer = new NativeScope()) {
            KvCache cache = model.newCache(batch, promptLen + maxNewTokens);
            Device device = model.device().toTorch();
            Tensor history = Tensors.longs(ids).to(device, ScalarType.Long);
            Tensor fullMask = Tensors.longs(mask).to(device, ScalarType.Long);
            Tensor input = history;
            Tensor positions = null; // the prompt's positions follow from the mask
            for (int step = 0; step < maxNewTokens; step++) {
                try (NativeScope scope = new NativeScope()) {
                    Tensor logits = model.forward(input, positions, padded ? fullMask : null, cache, routing);
                    Tensor last = logits.select(1, logits.size(1) - 1).to(ScalarType.Float);
                    Tensor next = selector.select(last, history).to(device, ScalarType.Long).view(batch, 1);
                    long[] chosen = Tensors.toLongs(next);
                    boolean all = true;
                    for (int r = 0; r < batch; r++) {
                        if (done[r]) continue;
                        out[r][produced[r]++] = chosen[r];
                        if (stopTokens.contains(chosen[r])) done[r] = true;
                        all &= done[r];
                    }
                    if (all) break;
                    // The new token of row r sits right after its prompt's and earlier new tokens' positions.
                    long[] nextPositions = new long[batch];
                    for (int r = 0; r < batch; r++) nextPositions[r] = prompts.get(r).length + step;
                    positions = scope.keep(Tensors.longs(nextPositions, batch, 1));
                    history = scope.keep(torch.cat(new TensorVector(history, next), 1));
                    fullMask = scope.keep(torch.cat(new TensorVector(fullMask, torch.ones_like(next)), 1));
                    input = scope.keep(next);
                }
            }
        }
        List<long[]> result = new ArrayList<>(batch);
        for (int r = 0; r < batch; r++) result.add(Arrays.copyOf(out[r], produced[r]));
        return result;
    }
}
