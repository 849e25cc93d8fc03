package dev.anvil.eval.evaluation;

import dev.anvil.llm.data.ExampleEncoder;
import dev.anvil.llm.data.LossOn;
import dev.anvil.llm.generate.TextGenerator;
import dev.anvil.llm.score.Scorer;
import dev.anvil.llm.text.ChatTemplate;
import dev.anvil.llm.text.Tokenizer;

/**
 * One side ready to evaluate: its scorer and generator (both running its adapter, if any, by name), the encoder that
 * renders and labels a conversation as training did (the model's chat template, loss on the assistant's replies, cut
 * to the maximum sequence length), and the bytes its weights take (the base's plus its adapter's).
 */
record SideModel(String label, Scorer scorer, ExampleEncoder encoder, TextGenerator generator, String adapter,
                 int contextLength, long memoryBytes) {

    static SideModel of(String label, Scorer scorer, TextGenerator generator, String adapter, Tokenizer tokenizer,
                        int maxSeqLength, int contextLength, long memoryBytes) {
        return new SideModel(label, scorer, new ExampleEncoder(tokenizer, ChatTemplate.forTokenizer(tokenizer),
                LossOn.ASSISTANT, maxSeqLength), generator, adapter, contextLength, memoryBytes);
    }
}
