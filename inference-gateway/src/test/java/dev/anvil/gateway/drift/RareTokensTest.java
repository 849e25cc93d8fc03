package dev.anvil.gateway.drift;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rare or unknown: the unknown id, or an id outside the reference's top N (ties at the cut ranked by id). */
class RareTokensTest {
    /** Reference counts: ids 7 and 9 tie at 5, below 3 (40), 11 (20) and 5 (8); id 2 is never seen. */
    static final Map<Integer, Long> REFERENCE = Map.of(3, 40L, 11, 20L, 5, 8L, 9, 5L, 7, 5L, 1, 1L);

    @Test
    void idsOutsideTheTopNOrUnseenAreRare() {
        RareTokens rare = new RareTokens(REFERENCE, 4, RareTokens.NO_UNKNOWN_ID);
        // top 4: 3, 11, 5, then 7 before 9 (equal counts, lower id first)
        assertFalse(rare.isRare(7));
        assertTrue(rare.isRare(9));
        assertTrue(rare.isRare(2), "never seen in the reference");
        // 3 11 5 7 common; 9 1 2 2 rare -> 4 of 8
        assertEquals(0.5, rare.shareOf(new int[]{3, 11, 5, 7, 9, 1, 2, 2}), 0.0);
    }

    @Test
    void theUnknownIdIsRareEvenWhenFrequentInTheReference() {
        RareTokens rare = new RareTokens(REFERENCE, 10, 3);
        // 3 is the unknown id, 2 was never seen: 3, 3 and 2 of 5 are rare
        assertEquals(0.6, rare.shareOf(new int[]{3, 11, 3, 5, 2}), 1e-15);
    }

    @Test
    void noTokensHaveNoRareShare() {
        assertEquals(0.0, new RareTokens(REFERENCE, 4, 0).shareOf(new int[0]), 0.0);
        assertEquals(1.0, new RareTokens(Map.of(), RareTokens.DEFAULT_TOP, 0).shareOf(new int[]{4, 5}), 0.0);
    }
}
