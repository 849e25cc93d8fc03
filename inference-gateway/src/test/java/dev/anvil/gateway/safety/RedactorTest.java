package dev.anvil.gateway.safety;

import dev.anvil.service.pii.PiiType;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whole answers: what is masked, with what, counted by kind; what a response filter cuts. */
class RedactorTest {

    @Test
    void personalDataGetsItsTypedPlaceholderAndIsCountedByKind() {
        Redaction r = new Settings().rules().answers()
                .redact("Mail jane@example.com or call +44 20 7946 0958; jane@example.com again.");
        assertEquals("Mail [EMAIL] or call [PHONE]; [EMAIL] again.", r.text());
        assertEquals(Map.of("email", 2, "phone", 1), r.counts());
        assertFalse(r.cut());
    }

    @Test
    void termsAreWholeWordsInAnyCaseAndTheLongestWins() {
        Redactor redactor = new Settings().terms("secret", "project falcon", "top secret").rules().answers();
        Redaction r = redactor.redact("The TOP SECRET plan of Project Falcon: a Secret, kept secretly (secret_x).");
        assertEquals("The [REDACTED] plan of [REDACTED]: a [REDACTED], kept secretly (secret_x).", r.text());
        assertEquals(Map.of("term", 3), r.counts());
    }

    @Test
    void termsInOtherScriptsMatchTheirUpperAndLowerCase() {
        Redactor redactor = new Settings().terms("müller", "секрет").rules().answers();
        assertEquals("Herr [REDACTED] sagt [REDACTED]! Die Müllers nicht.",
                redactor.redact("Herr MÜLLER sagt СЕКРЕТ! Die Müllers nicht.").text());
    }

    @Test
    void patternsAreMaskedWithTheConfiguredMask() {
        Redactor redactor = new Settings().patterns("sk-[A-Za-z0-9]{8,}", "(?i)ticket #\\d+").mask("***")
                .rules().answers();
        Redaction r = redactor.redact("Use sk-abcDEF123456 for Ticket #42, not sk-short.");
        assertEquals("Use *** for ***, not sk-short.", r.text());
        assertEquals(Map.of("pattern", 2), r.counts());
    }

    @Test
    void onlyTheConfiguredKindsOfPersonalData() {
        String text = "jane@example.com, 555-123-4567";
        assertEquals("jane@example.com, [PHONE]",
                new Settings().piiTypes(Set.of(PiiType.PHONE)).rules().answers().redact(text).text());
        Redactor none = new Settings().pii(false).rules().answers();
        assertTrue(none.isEmpty(), "nothing to do, so a stream holds nothing back");
        assertEquals(text, none.redact(text).text());
    }

    @Test
    void overlappingFindingsAreMaskedOnceTheEarliestAndLongestWinning() {
        Redaction r = new Settings().terms("jane").rules().answers().redact("Ask jane@example.com or Jane.");
        assertEquals("Ask [EMAIL] or [REDACTED].", r.text());
        assertEquals(Map.of("email", 1, "term", 1), r.counts());
    }

    @Test
    void aResponseFilterCutsTheTextBeforeItsMatch() {
        Redactor redactor = new Settings().terms("falcon")
                .responseFilters(Settings.Filters.terms("launch codes")).rules().answers();
        Redaction r = redactor.redact("Falcon is ready. The Launch Codes are 1234. Falcon again.");
        assertEquals("[REDACTED] is ready. The ", r.text());
        assertTrue(r.cut());
        assertEquals(Map.of("term", 1), r.counts(), "masks after the cut are not counted");
        assertFalse(redactor.redact("launch coders").cut(), "whole words only");
    }
}
