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

    /** Any split of any text: what is shown is exactly the text before the first stop string, or all of it. */
    @Test
    void randomSplitsShowExactlyTheTextBeforeTheFirstStop() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        List<String> stops = List.of("abca", "bb", "cab");
        for (int trial = 0; trial < 2000; trial++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(0, 20); i > 0; i--) {
                text.append("abc".charAt(random.nextInt(3)));
            }
            int cut = text.length();
            for (String stop : stops) {
                int at = text.indexOf(stop);
                if (at >= 0) {
                    cut = Math.min(cut, at);
                }
            }
            StopStringMatcher m = new StopStringMatcher(stops);
            StringBuilder shown = new StringBuilder();
            boolean stopped = false;
            for (int at = 0; at < text.length() && !stopped; ) {
                int end = Math.min(text.length(), at + random.nextInt(0, 4));
                StopStringMatcher.Result r = m.accept(text.substring(at, end));
                shown.append(r.text());
                stopped = r.stopped();
                at = end;
            }
            if (!stopped) {
                shown.append(m.flush());
            }
            assertEquals(text.substring(0, cut), shown.toString(), text.toString());
            assertEquals(cut < text.length(), stopped, text.toString());
        }
    }
}
