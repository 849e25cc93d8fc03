package dev.anvil.llm.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import dev.anvil.llm.torch.NativeScope;
import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.AdamWOptions;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.InputArchive;
import org.bytedeco.pytorch.OutputArchive;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * libtorch's AdamW over a fixed set of trainable tensors, with what a training step needs around it: gradient
 * clipping by global L2 norm, a learning rate set per step (schedules live in the trainer), gradients dropped after
 * each update, and the state (moments and step counts) saved and restored exactly for resuming.
 */
public final class AdamWOptimizer {

    /**
     * @param beta1       decay of the first moment (0.9)
     * @param beta2       decay of the second moment (0.999)
     * @param eps         added to the root of the second moment (1e-8)
     * @param weightDecay decoupled weight decay (0.0 for LoRA is common, 0.01 torch's default)
     * @param maxGradNorm clip gradients to this global L2 norm; {@code Double.POSITIVE_INFINITY} disables clipping
     */
    public record Settings(double beta1, double beta2, double eps, double weightDecay, double maxGradNorm) {
        public Settings {
            if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
            if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
            if (!(eps > 0)) throw new IllegalArgumentException("eps must be > 0, got " + eps);
            if (!(weightDecay >= 0)) throw new IllegalArgumentException("weightDecay must be >= 0, got " + weightDecay);
            if (!(maxGradNorm > 0)) throw new IllegalArgumentException("maxGradNorm must be > 0, got " + maxGradNorm);
        }

        /** torch.optim.AdamW's defaults with clipping at 1.0, as transformers' Trainer does. */
        public static Settings defaults() {
            return new Settings(0.9, 0.999, 1e-8, 0.01, 1.0);
        }

        public Settings withWeightDecay(double w) {
            return new Settings(beta1, beta2, eps, w, maxGradNorm);
        }

        public Settings withMaxGradNorm(double n) {
            return new Settings(beta1, beta2, eps, weightDecay, n);
        }
    }

    private final List<String> names;
    private final TensorVector parameters;
    private final AdamW adamW;
    private final Settings settings;
    private long steps;

    /**
     * {@code parameters} by name; each must require grad. They are held sorted by name, so that saved state fits
     * the same tensors however the caller's map was ordered (e.g. an adapter reloaded from its file).
     */
    public AdamWOptimizer(Map<String, Tensor> parameters, Settings settings) {
        if (parameters.isEmpty()) throw new IllegalArgumentException("no trainable parameters");
        parameters.forEach((name, p) -> {
            if (!p.requires_grad()) throw new IllegalArgumentException("parameter '" + name + "' does not require grad");
        });
        SortedMap<String, Tensor> sorted = new TreeMap<>(parameters);
        this.names = List.copyOf(sorted.keySet());
        this.parameters = NativeScope.retain(new TensorVector(sorted.values().toArray(new Tensor[0])));
        AdamWOptions options = NativeScope.retain(new AdamWOptions(1e-3));
        // The binding lays the std::tuple<double, double> out backwards: index 0 is beta2, index 1 is beta1.
        options.betas().put(0, settings.beta2()).put(1, settings.beta1());
        options.eps().put(settings.eps());
        options.weight_decay().put(settings.weightDecay());
        this.adamW = NativeScope.retain(new AdamW(this.parameters, options));
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    public List<String> parameterNames() {
        return names;
    }

    /** Updates done so far (restored by {@link #load}). */
    public long steps() {
        return steps;
    }

    /**
     * Clips the gradients, applies one AdamW update at {@code learningRate} and drops the gradients.
     *
     * @return the global gradient norm before clipping
     */
    public double step(double learningRate) {
        if (!(learningRate >= 0)) throw new IllegalArgumentException("learning rate must be >= 0, got " + learningRate);
        try (NativeScope scope = new NativeScope()) {
            // libtorch converts the limit to a float: an infinite one (no clipping) becomes the largest float.
            double norm = torch.clip_grad_norm_(parameters, Math.min(settings.maxGradNorm(), Float.MAX_VALUE), 2.0,
                    false);
            adamW.param_groups().get(0).options().set_lr(learningRate);
            adamW.step();
            adamW.zero_grad(true);
            steps++;
            return norm;
        }
    }

    /** Drops gradients without updating (e.g. after a step skipped for a non-finite loss). */
    public void zeroGrad() {
        adamW.zero_grad(true);
    }

    /** Writes the moments, per-parameter step counts and {@link #steps} to {@code file}, atomically. */
    public void save(Path file) {
        try (NativeScope scope = new NativeScope()) {
            OutputArchive optimizer = new OutputArchive();
            adamW.save(optimizer);
            OutputArchive root = new OutputArchive();
            root.write("optimizer", optimizer);
            root.write("steps", new IValue(steps));
            root.write("parameter_names", new IValue(String.join("\n", names)));
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            root.save_to(tmp.toString());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write optimizer state " + file + ": " + e.getMessage(), e);
        }
    }

    /** Restores what {@link #save} wrote, for the same parameters in the same order. */
    public void load(Path file) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no optimizer state at " + file);
        try (NativeScope scope = new NativeScope()) {
            InputArchive root = new InputArchive();
            root.load_from(file.toString());
            IValue savedNames = new IValue();
            root.read("parameter_names", savedNames);
            List<String> saved = new ArrayList<>(List.of(savedNames.toStringRef().getString().split("\n")));
            if (!saved.equals(names)) {
                throw new IllegalArgumentException(file + ": optimizer state is for " + saved.size()
                        + " other parameters (first: " + saved.get(0) + "), not for these " + names.size());
            }
            InputArchive optimizer = new InputArchive();
            root.read("optimizer", optimizer);
            adamW.load(optimizer);
            IValue savedSteps = new IValue();
            root.read("steps", savedSteps);
            steps = savedSteps.toInt();
        }
    }
}
