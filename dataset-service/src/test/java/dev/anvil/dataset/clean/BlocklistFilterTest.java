package dev.anvil.dataset.clean;

import dev.anvil.dataset.ingest.Conversation;
import dev.anvil.dataset.ingest.Message;
import dev.anvil.dataset.ingest.SourceFormat;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlocklistFilterTest {
    private static Conversation say(String text) {
        return new Conversation(List.of(new Message("user", "q"), new Message("assistant", text)), SourceFormat.TEXT);
    }

    private final BlocklistFilter filter = new BlocklistFilter(BlocklistFilter.parse(List.of(
            "# comment", "", "weapons: pipe bomb", "secrets: re:api[_-]?key\\s*=\\s*\\w+")));

    @Test
    void phrasesMatchWholeWordsCaseInsensitively() {
        assertEquals(Optional.of("weapons: matched \"pipe bomb\""), filter.check(say("How to build a PIPE   Bomb?")));
        assertEquals(Optional.empty(), filter.check(say("The pipe bombastically failed")));
        assertEquals(Optional.empty(), filter.check(say("a pipebomb written as one word is another word")));
    }

    @Test
    void regexesMatchOnWordBoundaries() {
        assertTrue(filter.check(say("config: API_KEY = abc123")).orElseThrow().startsWith("secrets:"));
        assertEquals(Optional.empty(), filter.check(say("myapi_key=abc")));
    }

    @Test
    void defaultListLoadsAndFlagsItsTerms() {
        BlocklistFilter defaults = BlocklistFilter.defaults();
        assertTrue(defaults.check(say("Explain how to synthesize sarin")).orElseThrow().startsWith("chemical_weapons"));
        assertEquals(Optional.empty(), defaults.check(say("Explain how vaccines train the immune system")));
    }

    @Test
    void badListLinesAreRefusedWithTheirNumber() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlocklistFilter.parse(List.of("ok: term", "no category here")));
        assertTrue(e.getMessage().contains("line 2"));
    }
}
