package dev.anvil.llm.model;

import dev.anvil.llm.testing.Golden;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TokenGenerator#decode}: per-row limits and stops, finished rows leaving the batch. */
class DecodeLoopTest {

    static final LlamaModel MODEL = LlamaModel.load(Golden.model("aidreams260K"), LoadOptions.defaults());
    static final List<long[]> PROMPTS = List.of(new long[]{1, 352, 375, 438}, new long[]{1}, new long[]{1, 303, 281});

    @Test
    void rowsStopAtTheirOwnLimitOrStopAndLeaveTheBatch() {
        TokenGenerator generator = new TokenGenerator(MODEL);
        long[] alone1 = generator.greedy(PROMPTS.get(1), 12);
        long stopToken = alone1[4];
        List<int[]> rowsPerStep = new ArrayList<>();
        TokenSelector recording = (logits, rows) -> {
            rowsPerStep.add(rows);
            assertEquals(rows.length, logits.size(0), "logits only for running rows");
            return TokenSelector.GREEDY.select(logits, rows);
        };

        List<long[]> out = generator.decode(PROMPTS, new int[]{3, 12, 9}, null, recording,
                (row, token) -> row == 1 && token == stopToken);

        assertArrayEquals(generator.greedy(PROMPTS.get(0), 3), out.get(0));
        assertArrayEquals(Arrays.copyOf(alone1, firstIndexOf(alone1, stopToken) + 1), out.get(1), "stop token kept");
        assertArrayEquals(generator.greedy(PROMPTS.get(2), 9), out.get(2));
        assertArrayEquals(new int[]{0, 1, 2}, rowsPerStep.get(0));
        assertArrayEquals(new int[]{1, 2}, rowsPerStep.get(3), "row 0 left after its 3 tokens");
        assertArrayEquals(new int[]{2}, rowsPerStep.get(rowsPerStep.size() - 1), "row 2 runs alone at the end");
        assertEquals(9, rowsPerStep.size(), "no step beyond the longest running row");
    }

    @Test
    void eachRowIsBoundedByTheContext() {
        long[] longPrompt = new long[120];
        Arrays.fill(longPrompt, 300);
        String message = assertThrows(IllegalArgumentException.class, () -> new TokenGenerator(MODEL).decode(
                List.of(new long[]{1}, longPrompt), new int[]{100, 9}, null, TokenSelector.GREEDY, (r, t) -> false))
                .getMessage();
        assertTrue(message.startsWith("prompt 1: prompt (120) + maxNewTokens (9)"), message);
    }

    private static int firstIndexOf(long[] values, long v) {
        for (int i = 0; i < values.length; i++) if (values[i] == v) return i;
        return -1;
    }
}
