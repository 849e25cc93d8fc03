package dev.anvil.llm.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StreamingDetokenizerTest {
    static Tokenizer tokenizer;

    @BeforeAll
    static void load() {
        tokenizer = Tokenizer.load(SharedFixtures.aidreams());
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    private static List<String> stream(int[] ids, boolean skipSpecial) {
        StreamingDetokenizer detokenizer = new StreamingDetokenizer(tokenizer, skipSpecial);
        List<String> deltas = new ArrayList<>();
        for (int id : ids) {
            deltas.add(detokenizer.push(id));
        }
        deltas.add(detokenizer.finish());
        return deltas;
    }

    @Test
    void deltasConcatenateToTheFullDecodeForEveryGoldenCase() {
        for (JsonNode c : SharedFixtures.tokenizerCases()) {
            int[] ids = SharedFixtures.ints(c.get("ids"));
            for (boolean skip : new boolean[] {true, false}) {
                List<String> deltas = stream(ids, skip);
                assertEquals(tokenizer.decode(ids, skip), String.join("", deltas), c.get("text").asText());
                for (String delta : deltas) {
                    assertFalse(delta.contains("\uFFFD"), "split character in " + deltas);
                }
            }
            assertEquals(c.get("decoded").asText(), String.join("", stream(ids, true)));
        }
    }

    @Test
    void holdsByteFallbackTokensUntilTheCharacterIsComplete() {
        // "你" is <0xE4><0xBD><0xA0>: ids 231, 192, 163 (tokenizer_cases.json, "Héllo wörld 你好! 123").
        int[] ids = tokenizer.encode("a 你");
        assertEquals(List.of(231, 192, 163), List.of(ids[ids.length - 3], ids[ids.length - 2], ids[ids.length - 1]));
        List<String> deltas = stream(ids, true);
        assertEquals(List.of("", "a", " ", "", "", "你", ""), deltas);
    }

    @Test
    void emojiSpanningFourByteTokensArrivesWhole() {
        int[] ids = tokenizer.encode("ok 🙂!");
        List<String> deltas = stream(ids, true);
        assertEquals("ok 🙂!", String.join("", deltas));
        assertEquals(1, deltas.stream().filter(d -> d.contains("🙂")).count());
        deltas.stream().filter(d -> d.contains("🙂")).forEach(d -> assertEquals("🙂", d));
    }

    @Test
    void anIncompleteCharacterAtTheEndIsFlushedAsReplacement() {
        StreamingDetokenizer detokenizer = new StreamingDetokenizer(tokenizer, true);
        assertEquals("", detokenizer.push(231));
        assertEquals("", detokenizer.push(192));
        assertEquals(tokenizer.decode(new int[] {231, 192}, true), detokenizer.finish());
    }
}
