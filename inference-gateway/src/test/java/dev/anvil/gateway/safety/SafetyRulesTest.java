package dev.anvil.gateway.safety;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Bad settings fail the start with a message naming the key (and never echoing a pattern, which may be secret). */
class SafetyRulesTest {

    @Test
    void aPatternThatIsNoRegularExpressionNamesItsKeyAndIndex() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Settings().patterns("fine", "secret-(\\d+").rules());
        assertEquals("anvil.gateway.safety.blocked-patterns[1] is not a Java regular expression: Unclosed group at "
                + "index 11.", e.getMessage());
        var filter = assertThrows(IllegalArgumentException.class,
                () -> new Settings().responseFilters(Settings.Filters.patterns("[a-")).rules());
        assertEquals("anvil.gateway.safety.response-filters.patterns[0]", filter.getMessage().split(" ")[0]);
        var prompt = assertThrows(IllegalArgumentException.class,
                () -> new Settings().promptFilters(Settings.Filters.patterns("*x")).rules());
        assertEquals("anvil.gateway.safety.prompt-filters.patterns[0]", prompt.getMessage().split(" ")[0]);
        assertFalse(e.getMessage().contains("secret"));
    }

    @Test
    void aTermLongerThanTheWindowFailsSayingHowLongTheWindowMustBe() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Settings().holdBack(8).responseFilters(Settings.Filters.terms("short", "much too long"))
                        .rules());
        assertEquals("anvil.gateway.safety.response-filters.terms[1] is 13 characters long, longer than "
                + "anvil.gateway.safety.hold-back-chars (8): a stream could let it through. Raise hold-back-chars to "
                + "at least 13.", e.getMessage());
    }

    @Test
    void blankTermsAndAnEmptyWindowAreRefused() {
        assertEquals("anvil.gateway.safety.blocked-terms[0] is blank.", assertThrows(IllegalArgumentException.class,
                () -> new Settings().terms("  ").rules()).getMessage());
        assertEquals("anvil.gateway.safety.hold-back-chars must be at least 1.",
                assertThrows(IllegalArgumentException.class, () -> new Settings().holdBack(0).rules()).getMessage());
    }
}
