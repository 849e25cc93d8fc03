package dev.anvil.dataset.ingest;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordStreamsTest {

    private static List<IngestedRecord> read(String text, UploadFormat format) throws IOException {
        return read(text.getBytes(StandardCharsets.UTF_8), format, 1 << 20);
    }

    private static List<IngestedRecord> read(byte[] bytes, UploadFormat format, long maxLineBytes) throws IOException {
        List<IngestedRecord> records = new ArrayList<>();
        try (RecordStream stream = RecordStreams.open(new ByteArrayInputStream(bytes), format, maxLineBytes)) {
            for (IngestedRecord r; (r = stream.next()) != null; ) {
                records.add(r);
            }
        }
        return records;
    }

    private static Conversation parsed(IngestedRecord record) {
        return assertInstanceOf(IngestedRecord.Parsed.class, record).conversation();
    }

    private static IngestedRecord.Unreadable unreadable(IngestedRecord record) {
        return assertInstanceOf(IngestedRecord.Unreadable.class, record);
    }

    @Test
    void openAiChatKeepsSystemToolTurnsAndJoinsTypedParts() throws IOException {
        String line = """
                {"messages":[{"role":"system","content":"Be brief."},\
                {"role":"user","content":[{"type":"text","text":"Weather"},{"type":"text","text":"in Oslo?"}]},\
                {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"weather","arguments":"{}"}}]},\
                {"role":"tool","content":"3 C","tool_call_id":"c1","name":"weather"},\
                {"role":"assistant","content":"3 degrees."}]}
                """;
        Conversation c = parsed(read(line, UploadFormat.JSON).get(0));
        assertEquals(SourceFormat.OPENAI_CHAT, c.format());
        assertEquals(List.of("system", "user", "assistant", "tool", "assistant"),
                c.messages().stream().map(Message::role).toList());
        assertEquals("Weather\nin Oslo?", c.messages().get(1).content());
        assertTrue(c.messages().get(2).content().contains("\"name\":\"weather\""), "tool call kept as JSON");
        assertEquals(new Message("tool", "3 C", "weather", "c1"), c.messages().get(3));
    }

    @Test
    void shareGptRolesAreMapped() throws IOException {
        String line = "{\"system\":\"sys\",\"conversations\":[{\"from\":\"human\",\"value\":\"q\"},"
                + "{\"from\":\"function_call\",\"value\":\"{\\\"name\\\":\\\"f\\\"}\"},"
                + "{\"from\":\"observation\",\"value\":\"42\"},{\"from\":\"gpt\",\"value\":\"a\"}]}";
        Conversation c = parsed(read(line, UploadFormat.JSON).get(0));
        assertEquals(SourceFormat.SHAREGPT, c.format());
        assertEquals(List.of(new Message("system", "sys"), new Message("user", "q"),
                new Message("assistant", "{\"name\":\"f\"}"), new Message("tool", "42"),
                new Message("assistant", "a")), c.messages());
    }

    @Test
    void flatFormatsAreDetectedPerRecord() throws IOException {
        String lines = """
                {"prompt":"p","completion":"c"}
                {"instruction":"Translate","input":"Hallo","output":"Hello"}
                {"instruction":"Say hi","input":"","output":"hi"}
                {"instruction":"Say yo","output":"yo","system":"casual"}
                {"instruction":"i","response":"r"}
                {"text":"plain text"}
                """;
        List<IngestedRecord> records = read(lines, UploadFormat.JSON);
        assertEquals(List.of(new Message("user", "p"), new Message("assistant", "c")), parsed(records.get(0)).messages());
        assertEquals(SourceFormat.PROMPT_COMPLETION, parsed(records.get(0)).format());
        assertEquals("Translate\n\nHallo", parsed(records.get(1)).messages().get(0).content());
        assertEquals(SourceFormat.ALPACA, parsed(records.get(1)).format());
        assertEquals("Say hi", parsed(records.get(2)).messages().get(0).content());
        assertEquals(new Message("system", "casual"), parsed(records.get(3)).messages().get(0));
        assertEquals(SourceFormat.INSTRUCTION_RESPONSE, parsed(records.get(4)).format());
        assertEquals(List.of(new Message("assistant", "plain text")), parsed(records.get(5)).messages());
        assertEquals(SourceFormat.TEXT, parsed(records.get(5)).format());
        assertEquals(6, records.get(5).line());
    }

    @Test
    void badRecordsAreMalformedWithTheFieldAtFault() throws IOException {
        String lines = """
                not json
                {"prompt":"p"}
                {"prompt":1,"completion":"c"}
                {"messages":[{"role":"wizard","content":"x"}]}
                {"messages":[{"role":"user","content":"only a question"}]}
                {"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]},{"role":"assistant","content":"a"}]}
                {"foo":"bar"}
                [1,2]
                {"text":"a"} {"text":"b"}

                """;
        List<IngestedRecord> records = read(lines, UploadFormat.JSON);
        assertEquals(10, records.size());
        assertTrue(unreadable(records.get(0)).detail().startsWith("not JSON"));
        assertEquals("missing field completion", unreadable(records.get(1)).detail());
        assertEquals("field prompt must be a string, got number", unreadable(records.get(2)).detail());
        assertTrue(unreadable(records.get(3)).detail().contains("unknown role 'wizard' in messages[0].role"));
        assertTrue(unreadable(records.get(4)).detail().contains("no assistant turn"));
        assertTrue(unreadable(records.get(5)).detail().contains("'image_url' in messages[0].content[0]"));
        assertTrue(unreadable(records.get(6)).detail().contains("got fields foo"));
        assertTrue(unreadable(records.get(7)).detail().contains("must be a JSON object"));
        assertTrue(unreadable(records.get(8)).detail().contains("more content after the record"));
        assertEquals(IngestedRecord.Problem.BLANK, unreadable(records.get(9)).problem());
        assertEquals(10, records.get(9).line());
    }

    @Test
    void invalidUtf8IsMalformedAtItsLine() throws IOException {
        byte[] good = "{\"text\":\"ok\"}\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'};
        byte[] bytes = new byte[good.length * 2 + bad.length];
        System.arraycopy(good, 0, bytes, 0, good.length);
        System.arraycopy(bad, 0, bytes, good.length, bad.length);
        System.arraycopy(good, 0, bytes, good.length + bad.length, good.length);
        List<IngestedRecord> records = read(bytes, UploadFormat.JSON, 1 << 20);
        assertEquals(3, records.size());
        IngestedRecord.Unreadable second = unreadable(records.get(1));
        assertEquals(2, second.line());
        assertTrue(second.detail().contains("not valid UTF-8 at byte 10"), second.detail());
        parsed(records.get(2));
    }

    @Test
    void aLineOverTheLimitRefusesTheUploadNamingTheKey() {
        byte[] bytes = ("{\"text\":\"short\"}\n{\"text\":\"" + "x".repeat(200) + "\"}\n").getBytes(StandardCharsets.UTF_8);
        InputLimitExceededException e = assertThrows(InputLimitExceededException.class,
                () -> read(bytes, UploadFormat.JSON, 100));
        assertEquals("anvil.dataset.max-line-bytes", e.limit());
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void jsonArrayIsReadRecordByRecordWithLineNumbers() throws IOException {
        String array = """
                \uFEFF  [
                  {"prompt":"p1","completion":"c1"},
                  {"instruction":"i","response":
                     "r"},
                  42,
                  {"text":"t"}
                ]
                """;
        List<IngestedRecord> records = read(array, UploadFormat.JSON);
        assertEquals(4, records.size());
        assertEquals(2, records.get(0).line());
        assertEquals(SourceFormat.INSTRUCTION_RESPONSE, parsed(records.get(1)).format());
        assertEquals(3, records.get(1).line());
        assertEquals(5, unreadable(records.get(2)).line());
        assertEquals(SourceFormat.TEXT, parsed(records.get(3)).format());
        assertEquals(6, records.get(3).line());
    }

    @Test
    void aBrokenJsonArrayStopsWithOneMalformedRecord() throws IOException {
        List<IngestedRecord> records = read("[{\"text\":\"a\"},\n{\"text\": oops},\n{\"text\":\"c\"}]", UploadFormat.JSON);
        assertEquals(2, records.size());
        assertEquals(2, unreadable(records.get(1)).line());
        assertTrue(unreadable(records.get(1)).detail().contains("rest of the array"));
    }

    @Test
    void aJsonArrayElementOverTheLimitRefusesTheUpload() {
        byte[] bytes = ("[{\"text\":\"a\"},\n{\"messages\":[" + "{\"role\":\"user\",\"content\":\"abcdefgh\"},".repeat(20)
                + "{\"role\":\"assistant\",\"content\":\"x\"}]}]").getBytes(StandardCharsets.UTF_8);
        InputLimitExceededException e = assertThrows(InputLimitExceededException.class,
                () -> read(bytes, UploadFormat.JSON, 300));
        assertEquals("anvil.dataset.max-line-bytes", e.limit());
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void csvWithQuotedCommasQuotesAndNewlines() throws IOException {
        String csv = "instruction,input,output\r\n"
                + "\"Summarise, briefly\",\"Line one\nLine \"\"two\"\"\",Done\r\n"
                + "Say hi,,hi\r\n"
                + "too,few\r\n"
                + "\"never closed,x,y\n";
        List<IngestedRecord> records = read(csv, UploadFormat.CSV);
        assertEquals(4, records.size());
        Conversation first = parsed(records.get(0));
        assertEquals(SourceFormat.ALPACA, first.format());
        assertEquals("Summarise, briefly\n\nLine one\nLine \"two\"", first.messages().get(0).content());
        assertEquals(2, records.get(0).line());
        assertEquals(4, records.get(1).line());
        assertEquals("Say hi", parsed(records.get(1)).messages().get(0).content());
        assertEquals("row has 2 fields, the header has 3", unreadable(records.get(2)).detail());
        assertEquals(5, records.get(2).line());
        assertTrue(unreadable(records.get(3)).detail().contains("unterminated"));
    }

    @Test
    void csvColumnsChooseTheFormat() throws IOException {
        assertEquals(SourceFormat.PROMPT_COMPLETION,
                parsed(read("prompt,completion\nq,a\n", UploadFormat.CSV).get(0)).format());
        assertEquals(SourceFormat.INSTRUCTION_RESPONSE,
                parsed(read("Instruction,Response\nq,a\n", UploadFormat.CSV).get(0)).format());
        assertEquals(SourceFormat.TEXT, parsed(read("text\nhello\n", UploadFormat.CSV).get(0)).format());
    }

    @Test
    void canonicalJsonRoundTrips() throws IOException {
        Conversation c = new Conversation(List.of(new Message("system", "s"), new Message("user", "q\t\"x\""),
                new Message("tool", "r", "f", "id1"), new Message("assistant", "a")), SourceFormat.OPENAI_CHAT);
        String json = CanonicalJson.write(c);
        assertEquals("{\"messages\":[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":"
                + "\"q\\t\\\"x\\\"\"},{\"role\":\"tool\",\"content\":\"r\",\"name\":\"f\",\"tool_call_id\":\"id1\"},"
                + "{\"role\":\"assistant\",\"content\":\"a\"}],\"format\":\"openai_chat\"}", json);
        assertEquals(c, CanonicalJson.read(json));
        assertNull(CanonicalJson.read(json).messages().get(0).name());
    }
}
