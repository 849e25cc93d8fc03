package dev.anvil.trainer.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import dev.anvil.llm.data.ExampleBatches;
import dev.anvil.llm.data.TokenizedExample;
import dev.anvil.llm.train.TrainBatch;

/**
 * The order of micro-batches: each epoch is a shuffle of the examples that depends only on {@code (seed, epoch)},
 * so a resumed run that knows its epoch and batch index sees exactly the batches an uninterrupted run would.
 * Rows are padded on the right to the longest row of their micro-batch, with an attention mask.
 */
public final class BatchPlan {

    private final List<TokenizedExample> examples;
    private final int microBatchSize;
    private final long seed;
    private final long padId;

    public BatchPlan(List<TokenizedExample> examples, int microBatchSize, long seed, long padId) {
        if (examples.isEmpty()) throw new IllegalArgumentException("no examples to train on");
        if (microBatchSize < 1) throw new IllegalArgumentException("microBatchSize must be >= 1, got " + microBatchSize);
        this.examples = List.copyOf(examples);
        this.microBatchSize = microBatchSize;
        this.seed = seed;
        this.padId = padId;
    }

    /** Micro-batches per epoch (the last may be smaller). */
    public int batchesPerEpoch() {
        return (examples.size() + microBatchSize - 1) / microBatchSize;
    }

    /** Micro-batch {@code index} of {@code epoch}, shuffled. */
    public TrainBatch batch(int epoch, int index) {
        List<Integer> order = order(epoch);
        int from = index * microBatchSize;
        int to = Math.min(from + microBatchSize, examples.size());
        if (index < 0 || from >= to) throw new IndexOutOfBoundsException("batch " + index + " of epoch " + epoch);
        List<TokenizedExample> rows = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) rows.add(examples.get(order.get(i)));
        return pad(rows, padId);
    }

    List<Integer> order(int epoch) {
        List<Integer> order = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) order.add(i);
        Collections.shuffle(order, new Random(seed * 1_000_003L + epoch));
        return order;
    }

    /** Rows in the given order, right-padded; no shuffling (validation). */
    public static List<TrainBatch> inOrder(List<TokenizedExample> examples, int microBatchSize, long padId) {
        List<TrainBatch> out = new ArrayList<>();
        for (int from = 0; from < examples.size(); from += microBatchSize) {
            out.add(pad(examples.subList(from, Math.min(from + microBatchSize, examples.size())), padId));
        }
        return out;
    }

    /** Right padding ({@link ExampleBatches#padRight}). */
    static TrainBatch pad(List<TokenizedExample> rows, long padId) {
        return ExampleBatches.padRight(rows, padId);
    }
}
