package dev.anvil.llm.score;

import dev.anvil.llm.data.ExampleEncoder;
import dev.anvil.llm.data.TokenizedExample;
import dev.anvil.llm.lora.LoraAdapter;
import dev.anvil.llm.model.AdapterRouting;
import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.text.Tokenizer;
import dev.anvil.llm.torch.NativeScope;
import dev.anvil.llm.torch.Tensors;
import dev.anvil.llm.train.CausalLmLoss;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Log-likelihoods under a model: per-token NLL of token sequences (batched), mean NLL and perplexity of a text,
 * and multiple-choice scoring of continuations. Sequences are right-padded into batches of at most
 * {@link #MAX_BATCH_TOKENS} padded tokens; log-softmax runs in float32 whatever the model's dtype.
 *
 * <p>Runs the base model, or with {@link #withAdapter} one attached LoRA adapter. Not thread-safe per model.
 */
public final class Scorer {
    /**
     * Padded tokens per forward pass: bounds the [batch, time, vocab] float32 logits (2048 x 32k vocab = 256 MiB).
     */
    public static final int MAX_BATCH_TOKENS = 2048;

    private final LlamaModel model;
    private final String adapter;

    public Scorer(LlamaModel model) {
        this(model, null);
    }

    private Scorer(LlamaModel model, String adapter) {
        this.model = model;
        this.adapter = adapter;
    }

    /** A scorer that runs every sequence with the attached adapter {@code name} (null: the base model). */
    public Scorer withAdapter(String name) {
        if (name != null && !LoraAdapter.isAttached(model, name)) {
            throw new IllegalArgumentException("adapter '" + name + "' is not attached to the model");
        }
        return new Scorer(model, name);
    }

    /** Every token after the first counts. */
    public TokenScores score(long[] ids) {
        return score(List.of(ids), null).get(0);
    }

    /**
     * @param sequences token ids, each of 2 to max_position_embeddings tokens
     * @param counted   null (everything counts), or per sequence which of its {@code length - 1} predictions count
     */
    public List<TokenScores> score(List<long[]> sequences, List<boolean[]> counted) {
        check(sequences, counted);
        List<TokenScores> out = new ArrayList<>(sequences.size());
        int start = 0;
        while (start < sequences.size()) {
            int end = start + 1;
            int width = sequences.get(start).length;
            while (end < sequences.size()
                    && (long) (end - start + 1) * Math.max(width, sequences.get(end).length) <= MAX_BATCH_TOKENS) {
                width = Math.max(width, sequences.get(end).length);
                end++;
            }
            double[][] nll = batchNll(sequences.subList(start, end), width);
            for (int i = start; i < end; i++) {
                boolean[] c = counted == null ? allTrue(sequences.get(i).length - 1) : counted.get(i);
                out.add(new TokenScores(sequences.get(i), nll[i - start], c));
            }
            start = end;
        }
        return out;
    }

    /**
     * Examples labelled for training ({@link ExampleEncoder}): each token whose label is not
     * {@link CausalLmLoss#IGNORE_INDEX} counts. The counted NLL summed over the examples and divided by their counted
     * tokens ({@link Perplexity#of}) is the trainer's validation loss on them.
     */
    public List<TokenScores> scoreLabelled(List<TokenizedExample> examples) {
        List<long[]> sequences = new ArrayList<>(examples.size());
        List<boolean[]> counted = new ArrayList<>(examples.size());
        for (TokenizedExample e : examples) {
            long[] labels = e.labels();
            boolean[] c = new boolean[labels.length - 1];
            for (int t = 1; t < labels.length; t++) c[t - 1] = labels[t] != CausalLmLoss.IGNORE_INDEX;
            sequences.add(e.ids());
            counted.add(c);
        }
        return score(sequences, counted);
    }

    /** A text with the special tokens (BOS) its tokenizer adds; every token after the first counts. */
    public TokenScores scoreText(Tokenizer tokenizer, String text) {
        return score(toLongs(tokenizer.encode(text)));
    }

    /**
     * Scores each continuation after the same context; only continuation tokens count.
     *
     * @param context       the context's ids (BOS included if the model wants one)
     * @param continuations each continuation's ids (not empty)
     */
    public ChoiceScores choices(long[] context, List<long[]> continuations) {
        if (context.length == 0 || continuations.isEmpty()) {
            throw new IllegalArgumentException("choices need a non-empty context and at least one continuation");
        }
        List<long[]> sequences = new ArrayList<>();
        List<boolean[]> counted = new ArrayList<>();
        for (int i = 0; i < continuations.size(); i++) {
            long[] c = continuations.get(i);
            if (c.length == 0) throw new IllegalArgumentException("continuation " + i + " is empty");
            long[] ids = Arrays.copyOf(context, context.length + c.length);
            System.arraycopy(c, 0, ids, context.length, c.length);
            boolean[] mask = new boolean[ids.length - 1];
            Arrays.fill(mask, context.length - 1, mask.length, true);
            sequences.add(ids);
            counted.add(mask);
        }
        List<TokenScores> scores = score(sequences, counted);
        List<ChoiceScores.Choice> choices = new ArrayList<>();
        for (int i = 0; i < scores.size(); i++) {
            TokenScores s = scores.get(i);
            choices.add(new ChoiceScores.Choice(continuations.get(i).clone(), s.logLikelihood(), -s.meanNll()));
        }
        return new ChoiceScores(choices);
    }

    /**
     * Text choices as lm-evaluation-harness tokenizes them: context + continuation is encoded whole and the
     * continuation is what follows the context's own encoding, so a word split across the boundary is scored as the
     * model would see it.
     */
    public ChoiceScores choices(Tokenizer tokenizer, String context, List<String> continuations) {
        long[] ctx = toLongs(tokenizer.encode(context));
        List<long[]> conts = new ArrayList<>();
        for (String continuation : continuations) {
            long[] whole = toLongs(tokenizer.encode(context + continuation));
            boolean sharesPrefix = whole.length > ctx.length
                    && Arrays.equals(Arrays.copyOf(whole, ctx.length), ctx);
            conts.add(sharesPrefix ? Arrays.copyOfRange(whole, ctx.length, whole.length)
                    : toLongs(tokenizer.encode(continuation, false)));
        }
        return choices(ctx, conts);
    }

    /** The float32 logits {@code [ids.length][vocab]} of one sequence (for inspection; large for big vocabularies). */
    public float[][] logits(long[] ids) {
        check(List.of(ids), null);
        try (NoGradGuard g = new NoGradGuard(); NativeScope s = new NativeScope()) {
            Tensor logits = model.forward(Tensors.longs(ids, 1, ids.length), null, null, null, routing(1));
            float[] flat = Tensors.toFloats(logits.cpu());
            int vocab = (int) logits.size(2);
            float[][] out = new float[ids.length][];
            for (int t = 0; t < ids.length; t++) out[t] = Arrays.copyOfRange(flat, t * vocab, (t + 1) * vocab);
            return out;
        }
    }

    /** NLL of every next token of every sequence, right-padded to {@code width}. */
    private double[][] batchNll(List<long[]> batch, int width) {
        long[][] ids = new long[batch.size()][width];
        long[][] mask = new long[batch.size()][width];
        boolean padded = false;
        for (int r = 0; r < batch.size(); r++) {
            long[] seq = batch.get(r);
            System.arraycopy(seq, 0, ids[r], 0, seq.length);
            Arrays.fill(mask[r], 0, seq.length, 1);
            padded |= seq.length != width;
        }
        try (NoGradGuard g = new NoGradGuard(); NativeScope s = new NativeScope()) {
            Tensor input = Tensors.longs(ids);
            Tensor logits = model.forward(input, null, padded ? Tensors.longs(mask) : null, null, routing(batch.size()));
            Tensor logProbs = torch.log_softmax(logits.narrow(1, 0, width - 1).to(ScalarType.Float), -1);
            Tensor targets = input.narrow(1, 1, width - 1).to(logProbs.device(), ScalarType.Long).unsqueeze(-1);
            float[] nll = Tensors.toFloats(logProbs.gather(-1, targets).squeeze(-1).neg().cpu());
            double[][] out = new double[batch.size()][];
            for (int r = 0; r < batch.size(); r++) {
                out[r] = new double[batch.get(r).length - 1];
                for (int t = 0; t < out[r].length; t++) out[r][t] = nll[r * (width - 1) + t];
            }
            return out;
        }
    }

    /** Always routed, so that a null adapter means the base model even when adapters are attached. */
    private AdapterRouting routing(int batch) {
        return AdapterRouting.uniform(adapter, batch);
    }

    private void check(List<long[]> sequences, List<boolean[]> counted) {
        if (sequences.isEmpty()) throw new IllegalArgumentException("nothing to score");
        if (counted != null && counted.size() != sequences.size()) {
            throw new IllegalArgumentException(counted.size() + " masks for " + sequences.size() + " sequences");
        }
        int limit = model.config().maxPositions();
        for (int i = 0; i < sequences.size(); i++) {
            int len = sequences.get(i).length;
            if (len < 2 || len > limit) {
                throw new IllegalArgumentException("sequence " + i + " has " + len + " tokens; scoring needs 2 to "
                        + limit + " (max_position_embeddings)");
            }
            if (counted != null && counted.get(i).length != len - 1) {
                throw new IllegalArgumentException("mask " + i + " has " + counted.get(i).length
                        + " entries; it needs one per predicted token (" + (len - 1) + ")");
            }
        }
    }

    private static boolean[] allTrue(int n) {
        boolean[] b = new boolean[n];
        Arrays.fill(b, true);
        return b;
    }

    static long[] toLongs(int[] ids) {
        return Arrays.stream(ids).asLongStream().toArray();
    }
}
