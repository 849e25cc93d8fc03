package dev.anvil.gateway.live;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which answers count as refusals: a listed phrase in the first 200 characters, any case. */
class RefusalPhrasesTest {

    @Test
    void anAnswerStartingWithARefusalPhraseIsARefusalInAnyCase() {
        assertTrue(RefusalPhrases.isRefusal("I'm sorry, but I can't help with that request."));
        assertTrue(RefusalPhrases.isRefusal("I CANNOT HELP WITH this."));
        assertTrue(RefusalPhrases.isRefusal("as an AI language model, I do not have opinions."));
        assertTrue(RefusalPhrases.isRefusal("I\u2019m sorry, but I can\u2019t do that."), "typographic apostrophes");
    }

    @Test
    void aPhraseAfterAShortPreambleCountsOneBeyondTheFirst200CharactersDoesNot() {
        assertTrue(RefusalPhrases.isRefusal("Thank you for asking. Unfortunately I cannot assist with that."));
        String story = "Once upon a time there was a little dragon who loved the stars. ".repeat(4);
        assertTrue(story.length() > RefusalPhrases.HEAD_CHARS);
        assertFalse(RefusalPhrases.isRefusal(story + "The robot said: as an AI I cannot dream."),
                "quoted far into a story");
    }

    @Test
    void ordinaryAnswersAndEmptyOnesAreNoRefusals() {
        assertFalse(RefusalPhrases.isRefusal("The stars shine brightly tonight."));
        assertFalse(RefusalPhrases.isRefusal("I'm sorry to hear that, here is how to fix it."), "an apology is no refusal");
        assertFalse(RefusalPhrases.isRefusal("I can help with that."));
        assertFalse(RefusalPhrases.isRefusal(""));
        assertFalse(RefusalPhrases.isRefusal(null));
    }

    @Test
    void everyPhraseIsKeptInLowerCaseSoThatMatchingIgnoresCase() {
        for (String phrase : RefusalPhrases.PHRASES) {
            assertTrue(phrase.equals(phrase.toLowerCase(java.util.Locale.ROOT)), phrase);
            assertTrue(RefusalPhrases.isRefusal(phrase.toUpperCase(java.util.Locale.ROOT)), phrase);
        }
    }
}
