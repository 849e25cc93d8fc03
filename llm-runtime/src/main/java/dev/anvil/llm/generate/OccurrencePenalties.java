package dev.anvil.llm.generate;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * OpenAI's presence and frequency penalties, as vLLM applies them: every token j generated so far in the sequence
 * loses {@code count[j] * frequency_penalty + presence_penalty} from its score. Only generated tokens count, so
 * a prompt that quotes a phrase does not push the answer away from it (the repetition penalty does count the
 * prompt). Negative penalties make repeats more likely.
 */
final class OccurrencePenalties implements LogitsProcessor {

    @Override
    public Tensor process(Tensor scores, List<SamplingSequence> rows) {
        int width = 0;
        for (SamplingSequence row : rows) {
            width = Math.max(width, row.generatedCounts().size()); // empty unless a penalty is on
        }
        if (width == 0) {
            return scores;
        }
        // One [batch, width] index of distinct generated ids and the amount each gains. Unused slots point at id 0
        // and add -0.0, which leaves any float exactly as it is (+0.0 included), so rows without a penalty come
        // back bit for bit. Ids are distinct within a row, so each score gets at most one non-zero addition and
        // the result does not depend on the order scatter_add accumulates in.
        long[] index = new long[rows.size() * width];
        float[] delta = new float[rows.size() * width];
        Arrays.fill(delta, -0.0f);
        for (int r = 0; r < rows.size(); r++) {
            SamplingParams params = rows.get(r).params();
            int slot = r * width;
            for (Map.Entry<Integer, Integer> seen : rows.get(r).generatedCounts().entrySet()) {
                if (seen.getKey() >= scores.size(1)) {
                    throw new IllegalArgumentException("row " + r + " generated token " + seen.getKey()
                            + ", outside the vocabulary of " + scores.size(1));
                }
                index[slot] = seen.getKey();
                delta[slot] = (float) -(seen.getValue() * params.frequencyPenalty() + params.presencePenalty());
                slot++;
            }
        }
        long[] shape = {rows.size(), width};
        return scores.scatter_add(1, RowTensors.longs(index, shape, scores), RowTensors.floats(delta, shape, scores));
    }
}
