package dev.anvil.gateway.safety;

import dev.anvil.llm.generate.FinishReason;
import dev.anvil.llm.generate.Generation;
import dev.anvil.llm.serve.Delta;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The screens the serving path asks: refusals of prompts, answers whole and streamed, and what they count. */
class ScreensTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SafetyMeters meters = new SafetyMeters(registry);
    private final SafetyRules rules = new Settings().terms("falcon").holdBack(16)
            .promptFilters(new Settings.Filters(java.util.Optional.of(List.of("open sesame")),
                    java.util.Optional.of(List.of("(?i)password\\s*="))))
            .responseFilters(Settings.Filters.terms("launch codes")).rules();

    private double count(String name, String... tags) {
        var counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aPromptFilterRefusesNamingTheTermButNotThePattern() {
        PromptScreen screen = new PromptScreen(rules, meters);
        assertEquals("The prompt was refused by the gateway's content filter: it matches the term 'Open Sesame'.",
                screen.refusal("chat", "v1", "Say\nOpen Sesame please").orElseThrow());
        String byPattern = screen.refusal("chat", "v1", "my PASSWORD = hunter2").orElseThrow();
        assertEquals("The prompt was refused by the gateway's content filter: it matches the pattern "
                + "anvil.gateway.safety.prompt-filters.patterns[0].", byPattern);
        assertTrue(screen.refusal("chat", "v1", "an open sesame-street show? no: sesames").isPresent(),
                "a hyphen is a word boundary");
        assertTrue(screen.refusal("chat", "v1", "nothing to see").isEmpty());
        assertEquals(3, count(SafetyMeters.FILTERED, "route", "chat", "version", "v1", "direction", "prompt"));
    }

    @Test
    void wholeChoicesAreRedactedAndAFilteredOneEndsWithContentFilter() {
        ResponseScreen screen = new ResponseScreen(rules, meters);
        Generation clean = generation("All is well.", FinishReason.EOS);
        List<Generation> out = screen.screen("chat", "v1", List.of(clean,
                generation("Falcon flies; mail a@example.com. The launch codes are 0000.", FinishReason.LENGTH)));
        assertSame(clean, out.get(0), "an unchanged choice is passed on as it is");
        assertEquals("[REDACTED] flies; mail [EMAIL]. The ", out.get(1).text());
        assertEquals(FinishReason.CONTENT_FILTER, out.get(1).finishReason());
        assertEquals(12, out.get(1).usage().completionTokens(), "the tokens it took are still counted");
        assertEquals(1, count(SafetyMeters.REDACTIONS, "route", "chat", "version", "v1", "kind", "term"));
        assertEquals(1, count(SafetyMeters.REDACTIONS, "route", "chat", "version", "v1", "kind", "email"));
        assertEquals(1, count(SafetyMeters.FILTERED, "route", "chat", "version", "v1", "direction", "response"));
    }

    @Test
    void aStreamedChoiceAFilterEndsStopsAtOnceWhileTheOtherGoesOn() {
        ResponseScreen screen = new ResponseScreen(rules, meters);
        ScreenedStream stream = screen.stream("chat", "v2", 2, 5, text -> new int[text.length() / 4]);
        List<Delta> out = new ArrayList<>();
        out.addAll(stream.screen(List.of(delta(0, "Here are the launch "), delta(1, "A falcon "))));
        out.addAll(stream.screen(List.of(delta(0, "codes: 1234 and more"), delta(1, "flies high over the hills"))));
        assertTrue(stream.endedEarly());
        out.addAll(stream.screen(List.of(delta(0, "ignored"), new Delta(0, "", List.of(),
                generation("Here are the launch codes: 1234 and moreignored", FinishReason.LENGTH)))));
        out.addAll(stream.screen(List.of(new Delta(1, "", List.of(), generation("A falcon flies high over the hills",
                FinishReason.EOS)))));

        StringBuilder first = new StringBuilder();
        StringBuilder second = new StringBuilder();
        Generation firstEnd = null;
        Generation secondEnd = null;
        for (Delta d : out) {
            (d.choice() == 0 ? first : second).append(d.text());
            if (d.isLast() && d.choice() == 0) {
                assertNull(firstEnd, "choice 0 ends once");
                firstEnd = d.finished();
            }
            if (d.isLast() && d.choice() == 1) secondEnd = d.finished();
        }
        assertEquals("Here are the ", first.toString());
        assertEquals(FinishReason.CONTENT_FILTER, firstEnd.finishReason());
        assertEquals("Here are the ", firstEnd.text());
        assertEquals(new Generation.Usage(5, "Here are the launch codes: 1234 and more".length() / 4),
                firstEnd.usage(), "what it had generated when the filter ended it");
        assertEquals("A [REDACTED] flies high over the hills", second.toString());
        assertEquals("A [REDACTED] flies high over the hills", secondEnd.text());
        assertEquals(FinishReason.EOS, secondEnd.finishReason());
        assertEquals(1, count(SafetyMeters.FILTERED, "route", "chat", "version", "v2", "direction", "response"));
        assertEquals(1, count(SafetyMeters.REDACTIONS, "route", "chat", "version", "v2", "kind", "term"));
    }

    @Test
    void withoutRulesAStreamPassesDeltasOnUntouched() {
        ResponseScreen screen = new ResponseScreen(new Settings().pii(false).rules(), meters);
        List<Delta> deltas = List.of(delta(0, "jane@example.com"));
        assertSame(deltas, screen.stream("chat", "v1", 1, 3, text -> new int[0]).screen(deltas));
        assertFalse(screen.stream("chat", "v1", 1, 3, text -> new int[0]).endedEarly());
    }

    private static Delta delta(int choice, String text) {
        return new Delta(choice, text, List.of(), null);
    }

    private static Generation generation(String text, FinishReason reason) {
        return new Generation(new int[12], text, reason, new Generation.Usage(5, 12));
    }
}
