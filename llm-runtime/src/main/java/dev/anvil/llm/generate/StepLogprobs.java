package dev.anvil.llm.generate;

import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.util.ArrayList;
import java.util.List;

/**
 * The log-probabilities of one decode step, for the rows of the batch that asked for them. Taken in two parts
 * around the sampler: {@link #before} takes the log-softmax of the raw logits (the model's distribution, before
 * any penalty or warper touches the scores), {@link #of} then reads the chosen tokens' values and the top
 * alternatives. A step where no row asks costs nothing: no tensor is made.
 *
 * <p>Float32, as the logits arrive and as vLLM computes them. Tensors made here belong to the caller's native
 * scope (the decode loop frees them after each step).
 */
final class StepLogprobs {
    private static final StepLogprobs NONE = new StepLogprobs(new int[0], null, 0);

    /** Positions in the batch of the rows that asked, ascending. */
    private final int[] asking;
    /** [asking.length, vocab] log-softmax of those rows. */
    private final Tensor logprobs;
    /** The largest top-N any asking row wants. */
    private final int maxTop;

    private StepLogprobs(int[] asking, Tensor logprobs, int maxTop) {
        this.asking = asking;
        this.logprobs = logprobs;
        this.maxTop = maxTop;
    }

    /**
     * @param logits [batch, vocab] raw last-position logits; row i is {@code rows.get(i)}
     */
    static StepLogprobs before(Tensor logits, List<SamplingSequence> rows) {
        List<Integer> wanted = new ArrayList<>();
        int maxTop = 0;
        for (int i = 0; i < rows.size(); i++) {
            SamplingParams params = rows.get(i).params();
            if (params.wantsLogprobs()) {
                wanted.add(i);
                maxTop = Math.max(maxTop, params.topLogprobs());
            }
        }
        if (wanted.isEmpty()) return NONE;
        int[] asking = wanted.stream().mapToInt(Integer::intValue).toArray();
        Tensor selected = asking.length == rows.size() ? logits : logits.index_select(0, RowTensors.longs(
                wanted.stream().mapToLong(Integer::longValue).toArray(), new long[] {asking.length}, logits));
        // A vocabulary smaller than the request (a toy model) has only so many alternatives.
        maxTop = (int) Math.min(maxTop, logits.size(1));
        return new StepLogprobs(asking, selected.to(ScalarType.Float).log_softmax(1), maxTop);
    }

    /**
     * @param chosen the token the sampler picked for each row of the batch
     * @return per batch row, its log-probabilities, or null for a row that did not ask
     */
    TokenLogprob[] of(int[] chosen, List<SamplingSequence> rows, TokenPieces pieces) {
        TokenLogprob[] out = new TokenLogprob[chosen.length];
        if (asking.length == 0) return out;
        long[] chosenIds = new long[asking.length];
        for (int j = 0; j < asking.length; j++) chosenIds[j] = chosen[asking[j]];
        float[] chosenValues = RowTensors.readFloats(
                logprobs.gather(1, RowTensors.longs(chosenIds, new long[] {asking.length, 1}, logprobs)));
        float[] topValues = new float[0];
        long[] topIds = new long[0];
        if (maxTop > 0) {
            // One top-k of the widest request for all rows; a row asking fewer takes its prefix (sorted descending).
            T_TensorTensor_T top = logprobs.topk(maxTop, 1, true, true);
            topValues = RowTensors.readFloats(top.get0());
            topIds = RowTensors.readLongs(top.get1());
        }
        for (int j = 0; j < asking.length; j++) {
            int row = asking[j];
            int wantedTop = Math.min(rows.get(row).params().topLogprobs(), maxTop);
            List<TokenLogprob.TopLogprob> alternatives = new ArrayList<>(wantedTop);
            for (int k = 0; k < wantedTop; k++) {
                int id = Math.toIntExact(topIds[j * maxTop + k]);
                TokenPieces.Piece piece = pieces.of(id);
                float value = topValues[j * maxTop + k];
                alternatives.add(new TokenLogprob.TopLogprob(id, piece.text(), value, piece.bytes()));
            }
            TokenPieces.Piece piece = pieces.of(chosen[row]);
            out[row] = new TokenLogprob(chosen[row], piece.text(), chosenValues[j], piece.bytes(), alternatives);
        }
        return out;
    }
}
