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

    /**
     * Random model output: plain pieces, special tokens, and characters from ASCII to emoji spelled as byte-fallback
     * tokens (aidreams260K: byte b is id b + 3), in any order.
     */
    @Test
    void deltasConcatenateToTheFullDecodeForRandomOutput() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(2026);
        int[][] codePointRanges = {{0x20, 0x7E}, {0xA0, 0x7FF}, {0x4E00, 0x9FFF}, {0x1F300, 0x1FAFF}};
        for (int sequence = 0; sequence < 300; sequence++) {
            List<Integer> ids = new ArrayList<>();
            for (int piece = random.nextInt(1, 30); piece > 0; piece--) {
                switch (random.nextInt(3)) {
                    case 0 -> ids.add(random.nextInt(259, tokenizer.vocabSize()));
                    case 1 -> ids.add(random.nextInt(0, 3));
                    default -> {
                        int[] range = codePointRanges[random.nextInt(codePointRanges.length)];
                        String ch = Character.toString(random.nextInt(range[0], range[1] + 1));
                        for (byte b : ch.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                            ids.add((b & 0xFF) + 3);
                        }
                    }
                }
            }
            int[] array = ids.stream().mapToInt(Integer::intValue).toArray();
            for (boolean skip : new boolean[] {true, false}) {
                List<String> deltas = stream(array, skip);
                assertEquals(tokenizer.decode(array, skip), String.join("", deltas), ids.toString());
                deltas.forEach(d -> assertFalse(d.contains("\uFFFD"), ids.toString()));
            }
        }
    }

    /**
     * Invalid UTF-8 is where a stream cannot equal the full decode: tokenizers' ByteFallback turns every byte of an
     * invalid run into U+FFFD, so "r" (byte 0x72) followed by a stray continuation byte decodes to two U+FFFD,
     * while the stream has already shown the "r".
     */
    @Test
    void invalidByteRunsShowTheValidPrefixThenReplacement() {
        int[] ids = {0x72 + 3, 0xAB + 3};
        assertEquals("\uFFFD\uFFFD", tokenizer.decode(ids, true));
        assertEquals(List.of("r", "", "\uFFFD"), stream(ids, true));
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
