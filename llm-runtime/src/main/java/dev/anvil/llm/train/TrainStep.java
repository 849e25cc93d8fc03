package dev.anvil.llm.train;

import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.torch.NativeScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * One optimisation step of a causal LM, written out as plain steps (torchtune style): forward, loss over the
 * labelled tokens, backward, clip, AdamW update, drop gradients, all inside one {@link NativeScope} so that
 * native memory stays flat over any number of steps. What trains is what the optimizer holds: a LoRA adapter's
 * tensors, or every base weight for full fine-tuning (load with {@code LoadOptions.withTrainable(true)}).
 *
 * <p>Reproducible: before each step the random generator is seeded from {@code (seed, step)}, so dropout masks
 * depend on nothing else, and a run resumed from saved weights and {@link AdamWOptimizer#save optimizer state}
 * continues exactly as an uninterrupted one (float32 on CPU, same thread count).
 */
public final class TrainStep {

    /** What one step did. */
    public record Result(long step, double loss, double gradNorm, long targetTokens) {}

    private final LlamaModel model;
    private final AdamWOptimizer optimizer;
    private final long seed;

    public TrainStep(LlamaModel model, AdamWOptimizer optimizer, long seed) {
        this.model = model;
        this.optimizer = optimizer;
        this.seed = seed;
    }

    public Result run(TrainBatch batch, double learningRate) {
        try (NativeScope scope = new NativeScope()) {
            long step = optimizer.steps();
            torch.manual_seed(seed * 1_000_003L + step);
            // Logits and the forward's other temporaries go before backward; the graph keeps what it needs.
            Tensor loss = NativeScope.handOver(
                    () -> CausalLmLoss.of(model.forward(batch.inputIds(), batch.attentionMask()), batch.labels()));
            double value = loss.item_double();
            if (!Double.isFinite(value)) {
                throw new ArithmeticException("loss is " + value + " at step " + step + ": not updating");
            }
            loss.backward();
            double gradNorm = optimizer.step(learningRate);
            return new Result(step, value, gradNorm, batch.targetTokens());
        }
    }

    public AdamWOptimizer optimizer() {
        return optimizer;
    }
}
