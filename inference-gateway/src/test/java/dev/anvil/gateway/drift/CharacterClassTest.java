package dev.anvil.gateway.drift;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.anvil.gateway.drift.CharacterClass.CJK_LETTER;
import static dev.anvil.gateway.drift.CharacterClass.CYRILLIC_LETTER;
import static dev.anvil.gateway.drift.CharacterClass.DIGIT;
import static dev.anvil.gateway.drift.CharacterClass.LATIN_LETTER;
import static dev.anvil.gateway.drift.CharacterClass.OTHER;
import static dev.anvil.gateway.drift.CharacterClass.OTHER_LETTER;
import static dev.anvil.gateway.drift.CharacterClass.WHITESPACE;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Code points counted by class; counts by hand. */
class CharacterClassTest {

    @Test
    void eachScriptHasItsClass() {
        assertEquals(LATIN_LETTER, CharacterClass.of('é'));
        assertEquals(CYRILLIC_LETTER, CharacterClass.of('ж'));
        assertEquals(CJK_LETTER, CharacterClass.of('天'));
        assertEquals(CJK_LETTER, CharacterClass.of('カ'));
        assertEquals(CJK_LETTER, CharacterClass.of('한'));
        assertEquals(OTHER_LETTER, CharacterClass.of('λ'));
        assertEquals(DIGIT, CharacterClass.of('٣'), "an Arabic-Indic digit");
        assertEquals(WHITESPACE, CharacterClass.of('\u00a0'), "a no-break space");
        assertEquals(OTHER, CharacterClass.of('?'));
        assertEquals(OTHER, CharacterClass.of(0x1F600), "an emoji");
    }

    @Test
    void aMixedPromptIsCountedByCodePoint() {
        // "Reset 2 паролей? 天気" : Reset(5 Latin) space 2(digit) space паролей(7 Cyrillic) ?(other) space 天気(2 CJK)
        Map<CharacterClass, Long> counts = CharacterClass.countsOf("Reset 2 паролей? 天気");
        assertEquals(Map.of(LATIN_LETTER, 5L, CYRILLIC_LETTER, 7L, CJK_LETTER, 2L, OTHER_LETTER, 0L, DIGIT, 1L,
                WHITESPACE, 3L, OTHER, 1L), counts);
        assertEquals(0L, CharacterClass.countsOf("").values().stream().mapToLong(Long::longValue).sum());
    }
}
