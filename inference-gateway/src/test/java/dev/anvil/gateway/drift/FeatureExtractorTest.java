package dev.anvil.gateway.drift;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The features of one pair, each from its own definition. Loads the embedding model: a fork of its own (pom). */
class FeatureExtractorTest {

    @Test
    void theFeaturesOfAPromptAndItsResponse() {
        FeatureExtractor extractor = new FeatureExtractor(new PromptEmbeddings());
        RequestFeatures f = extractor.extract("Reset 2 пароля?", new int[]{10, 11, 13, 0, 12},
                "I'm sorry, but I can't help with that.", 11, true);
        assertEquals(5, f.promptTokens());
        assertEquals(11, f.responseTokens());
        assertArrayEquals(new int[]{10, 11, 13, 0, 12}, f.promptTokenIds());
        assertTrue(f.refusal());
        assertEquals(5L, f.promptCharacters().get(CharacterClass.LATIN_LETTER));
        assertEquals(6L, f.promptCharacters().get(CharacterClass.CYRILLIC_LETTER));
        assertEquals(1L, f.promptCharacters().get(CharacterClass.DIGIT));
        assertEquals(PromptEmbeddings.DIMENSIONS, f.promptEmbedding().length);

        RequestFeatures notEmbedded = extractor.extract("Hi", new int[]{10}, "Hello!", 2, false);
        assertFalse(notEmbedded.refusal());
        assertNull(notEmbedded.promptEmbedding(), "a prompt not among those sampled is not embedded");
    }
}
