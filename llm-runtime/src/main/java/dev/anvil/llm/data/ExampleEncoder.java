package dev.anvil.llm.data;

import java.util.Arrays;
import java.util.List;

import dev.anvil.llm.text.ChatMessage;
import dev.anvil.llm.text.ChatTemplate;
import dev.anvil.llm.text.Tokenizer;
import dev.anvil.llm.train.CausalLmLoss;

/**
 * Turns a conversation into training tokens: rendered with the base model's chat template (or
 * {@link ChatTemplate#FALLBACK_SOURCE} for a model without one), tokenized once as a whole, labelled on the
 * assistant's replies or on everything, truncated to the maximum sequence length.
 *
 * <p>Which tokens belong to a reply is found by rendering prefixes of the conversation: the reply to message
 * {@code i} spans from the end of "messages before i + generation prompt" to the end of "messages up to i", each
 * measured as the number of leading tokens its encoding shares with the whole conversation's. Tokenizing the whole
 * text once (not message by message) keeps exactly the tokens inference will see; where a tokenizer merges across a
 * boundary, the shared-prefix measure puts that token on the prompt side.
 */
public final class ExampleEncoder {

    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final LossOn lossOn;
    private final int maxSeqLength;

    public ExampleEncoder(Tokenizer tokenizer, ChatTemplate template, LossOn lossOn, int maxSeqLength) {
        if (maxSeqLength < 2) throw new IllegalArgumentException("maxSeqLength must be >= 2, got " + maxSeqLength);
        this.tokenizer = tokenizer;
        this.template = template;
        this.lossOn = lossOn;
        this.maxSeqLength = maxSeqLength;
    }

    public TokenizedExample encode(Conversation conversation) {
        List<ChatMessage> messages = conversation.messages();
        int[] ids = tokens(template.render(messages, false));
        long[] labels = new long[ids.length];
        if (lossOn == LossOn.ALL) {
            for (int t = 0; t < ids.length; t++) labels[t] = ids[t];
        } else {
            Arrays.fill(labels, CausalLmLoss.IGNORE_INDEX);
            for (int i = 0; i < messages.size(); i++) {
                if (!messages.get(i).role().equals("assistant")) continue;
                int from = sharedPrefix(tokens(template.render(messages.subList(0, i), true)), ids);
                int to = sharedPrefix(tokens(template.render(messages.subList(0, i + 1), false)), ids);
                for (int t = from; t < to; t++) labels[t] = ids[t];
            }
        }
        boolean truncated = ids.length > maxSeqLength;
        int length = Math.min(ids.length, maxSeqLength);
        long[] kept = new long[length];
        for (int t = 0; t < length; t++) kept[t] = ids[t];
        return new TokenizedExample(kept, Arrays.copyOf(labels, length), truncated);
    }

    /** The template writes its special tokens (BOS) itself. */
    private int[] tokens(String rendered) {
        return tokenizer.encode(rendered, false);
    }

    private static int sharedPrefix(int[] prefix, int[] whole) {
        int n = Math.min(prefix.length, whole.length);
        int i = 0;
        while (i < n && prefix[i] == whole[i]) i++;
        return i;
    }
}
