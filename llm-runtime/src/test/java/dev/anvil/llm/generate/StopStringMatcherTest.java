package dev.anvil.llm.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopStringMatcherTest {
    @Test
    void holdsBackAPossibleStartAndCutsBeforeTheStop() {
        StopStringMatcher m = new StopStringMatcher(List.of("</end>"));
        assertEquals(new StopStringMatcher.Result("Hello ", false), m.accept("Hello <"));
        assertEquals(new StopStringMatcher.Result("", false), m.accept("/en"));
        assertEquals(new StopStringMatcher.Result("", true), m.accept("d> more"));
        assertEquals(new StopStringMatcher.Result("", true), m.accept("ignored"));
        assertEquals("", m.flush());
    }

    @Test
    void releasesHeldTextWhenItTurnsOutNotToBeAStop() {
        StopStringMatcher m = new StopStringMatcher(List.of("</end>"));
        assertEquals("a ", m.accept("a <").text());
        assertEquals("<b", m.accept("b").text());
        assertEquals("x </e", m.accept("x </e").text().concat(m.flush()));
    }

    @Test
    void earliestStopWinsAndOverlappingPrefixesAreHandled() {
        StopStringMatcher m = new StopStringMatcher(List.of("world", "lo"));
        assertEquals(new StopStringMatcher.Result("hel", true), m.accept("hello world"));

        StopStringMatcher overlap = new StopStringMatcher(List.of("aab"));
        assertEquals("", overlap.accept("aa").text());
        assertEquals("a", overlap.accept("a").text());
        assertEquals(new StopStringMatcher.Result("", true), overlap.accept("b"));
    }

    @Test
    void aStopSplitAcrossManyDeltas() {
        StopStringMatcher m = new StopStringMatcher(List.of("\n\nUser:"));
        StringBuilder shown = new StringBuilder();
        for (String delta : List.of("Sure", ".", "\n", "\n", "Us", "er", ":", " next")) {
            StopStringMatcher.Result r = m.accept(delta);
            shown.append(r.text());
            if (r.stopped()) {
                break;
            }
        }
        assertEquals("Sure.", shown.toString());
    }
}
