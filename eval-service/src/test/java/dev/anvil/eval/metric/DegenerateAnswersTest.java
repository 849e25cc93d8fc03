package dev.anvil.eval.metric;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link DegenerateAnswers}, hand-computed. */
class DegenerateAnswersTest {

    static final double TOLERANCE = 1e-12;

    @Test
    void emptyAnswersAreThoseBlankOnceTrimmed() {
        // "", "   ", "\n\t" and a no-break space (Python's str.split() sees it as whitespace) are empty; "." is not
        List<String> answers = List.of("", "   ", "\n\t", "\u00a0", ".", "Paris", "the answer");
        assertEquals(4.0 / 7, DegenerateAnswers.emptyAnswerRate(answers), TOLERANCE);
        assertEquals(0.0, DegenerateAnswers.emptyAnswerRate(List.of("a", "b")));
        assertEquals(1.0, DegenerateAnswers.emptyAnswerRate(List.of(" ")));
    }

    @Test
    void anEmptyListScoresZero() {
        assertEquals(0.0, DegenerateAnswers.emptyAnswerRate(List.of()));
        assertEquals(0.0, DegenerateAnswers.repetitionRate(List.of()));
    }

    @Test
    void repetitionIsTheFractionOfFourGramsRepeatingAnEarlierOne() {
        // 5 tokens, 2 4-grams, both "the the the the": the second repeats the first
        assertEquals(0.5, DegenerateAnswers.repetitionRate("the the the the the"), TOLERANCE);
        // 10 tokens, 7 4-grams, all "a a a a": 6 repeat
        assertEquals(6.0 / 7, DegenerateAnswers.repetitionRate("a a a a a a a a a a"), TOLERANCE);
        // a loop of 3 words: "x y z x y z x y z" has 6 4-grams, 3 distinct (xyzx, yzxy, zxyz), 3 repeats
        assertEquals(0.5, DegenerateAnswers.repetitionRate("x y z x y z x y z"), TOLERANCE);
        // no 4-gram twice
        assertEquals(0.0, DegenerateAnswers.repetitionRate("the cat sat on the mat"), TOLERANCE);
    }

    @Test
    void tokensAreWhitespaceRunsWithCaseAndPunctuationKept() {
        // "The the the the the": 4-grams "The the the the" and "the the the the" differ
        assertEquals(0.0, DegenerateAnswers.repetitionRate("The the the the the"), TOLERANCE);
        // any run of whitespace separates, so this is "the the the the the" again
        assertEquals(0.5, DegenerateAnswers.repetitionRate(" the\tthe\n the  the\u00a0the "), TOLERANCE);
    }

    @Test
    void answersShorterThanFourTokensCountZero() {
        assertEquals(0.0, DegenerateAnswers.repetitionRate("the the the"), TOLERANCE);
        assertEquals(0.0, DegenerateAnswers.repetitionRate(""), TOLERANCE);
        assertEquals(0.0, DegenerateAnswers.repetitionRate("the the the the"), TOLERANCE);  // one 4-gram
    }

    @Test
    void theCorpusRateIsTheMeanOverAnswers() {
        // 0.5, 0 (short), 0 (empty), 6/7: every answer weighs the same, short and empty ones included
        List<String> answers = List.of("the the the the the", "yes", "", "a a a a a a a a a a");
        assertEquals((0.5 + 6.0 / 7) / 4, DegenerateAnswers.repetitionRate(answers), TOLERANCE);
    }
}
