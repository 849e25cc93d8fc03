package dev.anvil.llm.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SamplingParamsTest {
    private static void assertRejected(String field, Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().startsWith(field), e.getMessage());
    }

    @Test
    void neutralDefaultsAndGreedy() {
        SamplingParams p = SamplingParams.defaults();
        assertEquals(1.0, p.temperature());
        assertEquals(0, p.topK());
        assertEquals(1.0, p.topP());
        assertEquals(1.0, p.repetitionPenalty());
        assertEquals(0.0, p.presencePenalty());
        assertEquals(0.0, p.frequencyPenalty());
        assertFalse(p.hasOccurrencePenalties());
        assertTrue(SamplingParams.greedy(8).isGreedy());
        assertEquals(8, SamplingParams.greedy(8).maxTokens());
    }

    @Test
    void rejectsOutOfRangeValuesNamingTheField() {
        SamplingParams p = SamplingParams.defaults();
        assertRejected("temperature", () -> p.withTemperature(-0.1));
        assertRejected("temperature", () -> p.withTemperature(Double.NaN));
        assertRejected("top_p", () -> p.withTopP(0));
        assertRejected("top_p", () -> p.withTopP(1.01));
        assertRejected("top_k", () -> p.withTopK(-1));
        assertRejected("repetition_penalty", () -> p.withRepetitionPenalty(0));
        assertRejected("repetition_penalty", () -> p.withRepetitionPenalty(-1));
        assertRejected("presence_penalty", () -> p.withPresencePenalty(2.01));
        assertRejected("presence_penalty", () -> p.withPresencePenalty(Double.NaN));
        assertRejected("frequency_penalty", () -> p.withFrequencyPenalty(-2.01));
        assertRejected("frequency_penalty", () -> p.withFrequencyPenalty(Double.POSITIVE_INFINITY));
        assertRejected("max_tokens", () -> p.withMaxTokens(0));
        assertRejected("stop[1]", () -> p.withStop(List.of("ok", "")));
        assertRejected("stop", () -> p.withStop(Collections.nCopies(17, "x")));
        assertRejected("top_logprobs", () -> p.withLogprobs(21));
        assertRejected("top_logprobs", () -> p.withLogprobs(-1));
    }

    @Test
    void logprobsAreOffUnlessAskedAndSurviveTheOtherWithers() {
        assertEquals(SamplingParams.NO_LOGPROBS, SamplingParams.defaults().topLogprobs());
        assertFalse(SamplingParams.greedy(4).wantsLogprobs());
        SamplingParams p = SamplingParams.greedy(4).withLogprobs(0).withTemperature(0.5).withSeed(3);
        assertTrue(p.wantsLogprobs());
        assertEquals(0, p.topLogprobs());
        assertEquals(SamplingParams.MAX_TOP_LOGPROBS, p.withLogprobs(20).topLogprobs());
        assertFalse(p.withoutLogprobs().wantsLogprobs());
        String message = assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1, 0, 1, 1, 0, 0,
                8, java.util.OptionalLong.empty(), List.of(), -2)).getMessage();
        assertTrue(message.contains("[0, 20]") && message.contains("-2"), message);
    }

    @Test
    void occurrencePenaltiesSpanMinusTwoToTwoAndSurviveTheOtherWithers() {
        SamplingParams p = SamplingParams.greedy(4).withPresencePenalty(-2).withFrequencyPenalty(2).withTopK(5)
                .withSeed(1).withLogprobs(0).withStop(List.of("x")).withRepetitionPenalty(1.1).withMaxTokens(9);
        assertEquals(-2.0, p.presencePenalty());
        assertEquals(2.0, p.frequencyPenalty());
        assertTrue(p.hasOccurrencePenalties());
        assertTrue(SamplingParams.defaults().withFrequencyPenalty(0.1).hasOccurrencePenalties());
        assertFalse(p.withPresencePenalty(0).withFrequencyPenalty(0).hasOccurrencePenalties());
        String message = assertThrows(IllegalArgumentException.class,
                () -> p.withPresencePenalty(-3)).getMessage();
        assertEquals("presence_penalty must be a finite number in [-2, 2] (0 disables it), got -3.0", message);
    }

    @Test
    void stopListIsCopied() {
        List<String> stops = new ArrayList<>(List.of("\n\n"));
        SamplingParams p = SamplingParams.defaults().withStop(stops);
        stops.add("later");
        assertEquals(List.of("\n\n"), p.stop());
    }
}
