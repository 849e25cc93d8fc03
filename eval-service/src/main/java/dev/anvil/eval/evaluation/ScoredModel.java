package dev.anvil.eval.evaluation;

import dev.anvil.llm.data.ExampleEncoder;
import dev.anvil.llm.data.LossOn;
import dev.anvil.llm.score.Scorer;
import dev.anvil.llm.text.ChatTemplate;
import dev.anvil.llm.text.Tokenizer;

/**
 * One side ready to score: its scorer (with its adapter, if any) and the encoder that renders and labels a
 * conversation as training did (the model's chat template, loss on the assistant's replies, cut to the maximum
 * sequence length).
 */
record ScoredModel(String label, Scorer scorer, ExampleEncoder encoder) {

    static ScoredModel of(String label, Scorer scorer, Tokenizer tokenizer, int maxSeqLength) {
        return new ScoredModel(label, scorer, new ExampleEncoder(tokenizer, ChatTemplate.forTokenizer(tokenizer),
                LossOn.ASSISTANT, maxSeqLength));
    }
}
