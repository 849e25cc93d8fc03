package dev.anvil.gateway.drift;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Against {@code scipy.spatial.distance.jensenshannon(p, q, base=2)} (scipy 1.17), with the count maps written as
 * arrays over the union of their keys; tolerance 1e-12.
 */
class JensenShannonTest {
    static final double TOLERANCE = 1e-12;

    @Test
    void countsOverPartlyDifferentCategories() {
        // python3 -c "from scipy.spatial.distance import jensenshannon as js; print(repr(js([10,5,3,0],[4,6,0,8],base=2)))"
        // -> 0.6005085741320676
        Map<String, Long> p = Map.of("a", 10L, "b", 5L, "c", 3L);
        Map<String, Long> q = Map.of("a", 4L, "b", 6L, "d", 8L);
        assertEquals(0.6005085741320676, JensenShannon.distance(p, q), TOLERANCE);
        assertEquals(JensenShannon.distance(p, q), JensenShannon.distance(q, p), TOLERANCE);
    }

    @Test
    void characterClassMixOfEnglishAgainstRussianPrompts() {
        // python3 -c "from scipy.spatial.distance import jensenshannon as js; print(repr(js([40,3,0,0,12,8],[2,0,35,0,9,4],base=2)))"
        // -> 0.7782947272389952 (order: Latin, digit, Cyrillic, CJK, whitespace, other)
        Map<CharacterClass, Long> english = Map.of(CharacterClass.LATIN_LETTER, 40L, CharacterClass.DIGIT, 3L,
                CharacterClass.WHITESPACE, 12L, CharacterClass.OTHER, 8L, CharacterClass.CJK_LETTER, 0L);
        Map<CharacterClass, Long> russian = Map.of(CharacterClass.LATIN_LETTER, 2L,
                CharacterClass.CYRILLIC_LETTER, 35L, CharacterClass.WHITESPACE, 9L, CharacterClass.OTHER, 4L);
        assertEquals(0.7782947272389952, JensenShannon.distance(english, russian), TOLERANCE);
    }

    @Test
    void proportionalCountsAreAtZeroAndDisjointOnesAtOne() {
        // js([10,5,3],[20,10,6],base=2) -> 0.0; js([1,0],[0,1],base=2) -> 1.0
        assertEquals(0.0, JensenShannon.distance(Map.of(1, 10, 2, 5, 3, 3), Map.of(1, 20, 2, 10, 3, 6)), TOLERANCE);
        assertEquals(1.0, JensenShannon.distance(Map.of(1, 1), Map.of(2, 1)), TOLERANCE);
    }

    @Test
    void noCountsOrNegativeOnesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> JensenShannon.distance(Map.of(), Map.of(1, 1)));
        assertThrows(IllegalArgumentException.class, () -> JensenShannon.distance(Map.of(1, -1), Map.of(1, 1)));
    }
}
