package dev.anvil.llm.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {
    static Tokenizer tokenizer;
    static List<JsonNode> cases;

    @BeforeAll
    static void load() {
        tokenizer = Tokenizer.load(SharedFixtures.aidreams());
        cases = SharedFixtures.tokenizerCases();
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void encodesEveryGoldenCaseExactlyWithBos() {
        assertEquals(12, cases.size());
        for (JsonNode c : cases) {
            assertArrayEquals(SharedFixtures.ints(c.get("ids")), tokenizer.encode(c.get("text").asText()), c.get("text").asText());
        }
    }

    @Test
    void decodesEveryGoldenCaseExactly() {
        for (JsonNode c : cases) {
            assertEquals(c.get("decoded").asText(), tokenizer.decode(SharedFixtures.ints(c.get("ids")), true));
        }
    }

    @Test
    void bosComesFromTheConfigAndCanBeLeftOut() {
        assertEquals(1, tokenizer.bosId().getAsInt());
        assertEquals(2, tokenizer.eosId().getAsInt());
        assertEquals(0, tokenizer.unkId().getAsInt());
        assertTrue(tokenizer.padId().isEmpty());
        assertArrayEquals(new int[] {262}, tokenizer.encode("a", false));
        assertArrayEquals(new int[] {}, tokenizer.encode("", false));
    }

    @Test
    void keepsSpecialTokensWhenAsked() {
        // The decoder strips one leading space of the whole text; "<s>" shields the space of "▁a".
        assertEquals("<s> a</s>", tokenizer.decode(new int[] {1, 262, 2}, false));
        assertEquals("a", tokenizer.decode(new int[] {1, 262, 2}, true));
    }

    @Test
    void specialTokensWrittenInTextAreRecognised() {
        assertArrayEquals(tokenizer.encode("Echoes of vectors"), tokenizer.encode("<s>Echoes of vectors", false));
    }

    @Test
    void vocabularyAndTokenIds() {
        assertEquals(512, tokenizer.vocabSize());
        assertEquals(1, tokenizer.tokenToId("<s>").getAsInt());
        assertEquals(262, tokenizer.tokenToId("▁a").getAsInt());
        assertEquals("<0xE4>", tokenizer.idToToken(231));
        assertTrue(tokenizer.tokenToId("no-such-token").isEmpty());
        assertTrue(tokenizer.isSpecial(2));
        assertFalse(tokenizer.isSpecial(262));
    }

    @Test
    void longTextIsNotTruncated() {
        // DJL truncates to 512 tokens by default; the model's own limit is for the model, not the tokenizer.
        String text = "hello world ".repeat(400);
        int[] ids = tokenizer.encode(text);
        assertTrue(ids.length > 1000, "got " + ids.length);
        assertEquals(text.stripTrailing(), tokenizer.decode(ids, true).stripTrailing());
    }

    @Test
    void rejectsIdsOutsideTheVocabulary() {
        var e = assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {1, 512}, true));
        assertTrue(e.getMessage().contains("ids[1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {-1}, true));
    }

    @Test
    void rejectsAMissingDirectoryOrTokenizerFile(@TempDir Path empty) {
        assertThrows(IllegalArgumentException.class, () -> Tokenizer.load(empty.resolve("absent")));
        var e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.load(empty));
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
    }

    @Test
    void hasNoChatTemplate() {
        assertTrue(tokenizer.config().chatTemplate().isEmpty());
        assertEquals(true, tokenizer.config().addBosToken().orElseThrow());
    }
}
