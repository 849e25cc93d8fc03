package dev.anvil.llm.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tokenizer_config.json variants, over aidreams260K's real tokenizer.json copied into a temporary model directory. */
class TokenizerConfigTest {
    @TempDir
    Path dir;

    private Tokenizer withConfig(String json) throws IOException {
        Files.copy(SharedFixtures.aidreams().resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        if (json != null) {
            Files.writeString(dir.resolve("tokenizer_config.json"), json);
        }
        return Tokenizer.load(dir);
    }

    @Test
    void explicitBosAndEosFlagsOverrideThePostProcessor() throws IOException {
        try (Tokenizer t = withConfig("{\"bos_token\": {\"content\": \"<s>\", \"lstrip\": false}, \"eos_token\": \"</s>\","
                + " \"add_bos_token\": false, \"add_eos_token\": true}")) {
            assertArrayEquals(new int[] {262, 2}, t.encode("a"));
            assertArrayEquals(new int[] {262}, t.encode("a", false));
            assertEquals(1, t.bosId().getAsInt());
        }
    }

    @Test
    void withoutFlagsTheTokenizerJsonPostProcessorDecides() throws IOException {
        try (Tokenizer t = withConfig(null)) {
            assertArrayEquals(new int[] {1, 262}, t.encode("a"));
            assertTrue(t.bosId().isEmpty());
            assertTrue(ChatTemplate.forTokenizer(t).isFallback());
        }
    }

    @Test
    void namedTemplatesPickDefaultAndChatTemplateJinjaWins() throws IOException {
        String config = "{\"eos_token\": \"</s>\", \"chat_template\": [{\"name\": \"tool_use\", \"template\": \"T\"},"
                + " {\"name\": \"default\", \"template\": \"{{ messages[0].content }}{{ eos_token }}\"}]}";
        try (Tokenizer t = withConfig(config)) {
            assertEquals("hi</s>", ChatTemplate.forTokenizer(t).render(List.of(ChatMessage.user("hi")), false));
        }
        Files.writeString(dir.resolve("chat_template.jinja"), "[{{ messages[0].role }}]\n");
        try (Tokenizer t = Tokenizer.load(dir)) {
            assertEquals("[user]", ChatTemplate.forTokenizer(t).render(List.of(ChatMessage.user("hi")), false));
        }
    }

    @Test
    void aSpecialTokenMissingFromTheVocabularyIsNamed() throws IOException {
        Files.copy(SharedFixtures.aidreams().resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"<|eot_id|>\"}");
        var e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.load(dir));
        assertTrue(e.getMessage().contains("eos_token"), e.getMessage());
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"add_bos_token\": \"yes\"}");
        e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.load(dir));
        assertTrue(e.getMessage().contains("add_bos_token"), e.getMessage());
    }
}
