package dev.anvil.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.anvil.events.records.CanonicalRecordReader;
import dev.anvil.events.records.RecordFormatException;
import dev.anvil.llm.data.Conversation;
import dev.anvil.llm.data.EncodedDataset;
import dev.anvil.llm.data.ExampleEncoder;
import dev.anvil.llm.data.LossOn;
import dev.anvil.llm.data.TokenizedExample;
import dev.anvil.llm.text.ChatMessage;
import dev.anvil.llm.text.ChatTemplate;
import dev.anvil.llm.text.Tokenizer;
import dev.anvil.llm.torch.Tensors;
import dev.anvil.llm.train.CausalLmLoss;
import dev.anvil.llm.train.TrainBatch;
import dev.anvil.trainer.testing.ColorDataset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading, rendering, masking, truncation, packing and batching with aidreams260K's real tokenizer. */
class DataPipelineTest {

    private static Tokenizer tokenizer;
    private static ChatTemplate template;

    @BeforeAll
    static void load() {
        tokenizer = Tokenizer.load(ColorDataset.model());
        template = ChatTemplate.forTokenizer(tokenizer);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    private static Conversation sky() {
        return new Conversation(List.of(ChatMessage.user(ColorDataset.question("the sky")),
                ChatMessage.assistant(ColorDataset.answer("the sky", "blue"))), 1);
    }

    private static String labelledText(TokenizedExample e) {
        int[] ids = java.util.Arrays.stream(e.labels()).filter(l -> l != CausalLmLoss.IGNORE_INDEX)
                .mapToInt(l -> (int) l).toArray();
        return tokenizer.decode(ids, false);
    }

    @Test
    void labelsCoverExactlyTheAssistantReply() {
        assertTrue(template.isFallback(), "aidreams has no chat template: the fallback renders");
        TokenizedExample e = new ExampleEncoder(tokenizer, template, LossOn.ASSISTANT, 128).encode(sky());
        String labelled = labelledText(e);
        // The reply, its end token (so the model learns to stop) and the template's newline after it.
        // (decoded with a space before that newline: the tokenizer's token for it starts with "▁")
        assertEquals("The color of the sky is blue.</s>", labelled.strip());
        assertTrue(labelled.endsWith("\n"), labelled);
        // Everything before the reply (BOS, "User: ...", "Assistant:") carries no label.
        int firstLabel = 0;
        while (e.labels()[firstLabel] == CausalLmLoss.IGNORE_INDEX) firstLabel++;
        long[] prompt = java.util.Arrays.copyOf(e.ids(), firstLabel);
        String promptText = tokenizer.decode(java.util.Arrays.stream(prompt).mapToInt(l -> (int) l).toArray(), false);
        assertTrue(promptText.endsWith("Assistant:"), "prompt: '" + promptText + "'");
        // The prompt is exactly what inference feeds the model (template with generation prompt).
        int[] inference = tokenizer.encode(template.render(sky().messages().subList(0, 1), true), false);
        assertArrayEquals(inference, java.util.Arrays.stream(prompt).mapToInt(l -> (int) l).toArray());
    }

    @Test
    void lossOnAllLabelsEveryTokenAndTruncationIsCounted() {
        TokenizedExample all = new ExampleEncoder(tokenizer, template, LossOn.ALL, 128).encode(sky());
        assertArrayEquals(all.ids(), all.labels());
        ExampleEncoder shortEncoder = new ExampleEncoder(tokenizer, template, LossOn.ASSISTANT, 8);
        TokenizedExample cut = shortEncoder.encode(sky());
        assertEquals(8, cut.length());
        assertTrue(cut.truncated());
        EncodedDataset ds = EncodedDataset.encode(List.of(sky(), sky()), shortEncoder);
        assertEquals(2, ds.truncated());
        assertEquals(2, ds.dropped(), "cut before the reply: nothing left to learn");
        assertEquals(0, ds.size());
    }

    @Test
    void packingMasksTheFirstTokenOfEachFollowingExample() {
        ExampleEncoder encoder = new ExampleEncoder(tokenizer, template, LossOn.ALL, 128);
        TokenizedExample one = encoder.encode(sky());
        List<TokenizedExample> packed = Packer.pack(List.of(one, one, one, one, one), 3 * one.length());
        assertEquals(2, packed.size());
        TokenizedExample first = packed.get(0);
        assertEquals(3 * one.length(), first.length());
        assertEquals(one.labels()[0], first.labels()[0]);
        assertEquals(CausalLmLoss.IGNORE_INDEX, first.labels()[one.length()]);
        assertEquals(CausalLmLoss.IGNORE_INDEX, first.labels()[2 * one.length()]);
        assertEquals(one.labels()[1], first.labels()[one.length() + 1]);
        assertEquals(2 * one.length(), packed.get(1).length());
    }

    @Test
    void batchesAreShuffledPerEpochFromTheSeedAndPaddedOnTheRight() {
        ExampleEncoder encoder = new ExampleEncoder(tokenizer, template, LossOn.ASSISTANT, 128);
        List<TokenizedExample> examples = new java.util.ArrayList<>();
        for (String[] p : ColorDataset.TRAIN) {
            examples.add(encoder.encode(new Conversation(List.of(ChatMessage.user(ColorDataset.question(p[0])),
                    ChatMessage.assistant(ColorDataset.answer(p[0], p[1]))), 1)));
        }
        BatchPlan plan = new BatchPlan(examples, 3, 42, 0);
        assertEquals(6, plan.batchesPerEpoch());
        assertEquals(plan.order(0), new BatchPlan(examples, 3, 42, 0).order(0), "same seed, same order");
        assertNotEquals(plan.order(0), plan.order(1), "a new order each epoch");
        assertNotEquals(plan.order(0), new BatchPlan(examples, 3, 43, 0).order(0), "another seed, another order");
        TrainBatch batch = plan.batch(0, 5);
        assertEquals(1, batch.inputIds().size(0), "16 = 5 x 3 + 1");
        TrainBatch padded = BatchPlan.pad(List.of(examples.get(0), examples.get(4)), 0);
        int width = Math.max(examples.get(0).length(), examples.get(4).length());
        assertEquals(width, padded.inputIds().size(1));
        long[] mask = Tensors.toLongs(padded.attentionMask());
        long real = mask.length - java.util.Arrays.stream(mask).filter(m -> m == 1).count();
        assertEquals(2L * width - examples.get(0).length() - examples.get(4).length(), real);
    }

    @Test
    void badLinesAreReportedWithFileAndLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("train.jsonl");
        String good = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"ho\"}]}";
        Files.write(file, List.of(good, "", good, "{\"messages\": [oops"));
        RecordFormatException bad = assertThrows(RecordFormatException.class, () -> DatasetReader.read(file));
        assertEquals(file + " line 4: not valid JSON", bad.getMessage().substring(0, bad.getMessage().indexOf(" (")));

        Files.write(file, List.of(good, "{\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}"));
        assertTrue(assertThrows(RecordFormatException.class, () -> DatasetReader.read(file)).getMessage()
                .startsWith(file + " line 2: messages[0].role must be one of"));

        Files.write(file, List.of("{\"messages\":[{\"role\":\"user\",\"content\":\"only a question\"}]}"));
        assertEquals(file + " line 1: no assistant message to learn from",
                assertThrows(RecordFormatException.class, () -> DatasetReader.read(file)).getMessage());

        Files.writeString(file, good + "\n" + "x".repeat(CanonicalRecordReader.MAX_LINE_CHARS + 1) + "\n");
        assertEquals(file + " line 2: line longer than " + CanonicalRecordReader.MAX_LINE_CHARS + " characters",
                assertThrows(RecordFormatException.class, () -> DatasetReader.read(file)).getMessage());

        Files.write(file, List.of(good, good));
        assertEquals(2, DatasetReader.read(file).size());
    }
}
