package dev.anvil.llm.lora;

import dev.anvil.llm.model.ProjectionKind;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * LoRA hyper-parameters as PEFT defines them: {@code delta W = scaling * B A} with {@code scaling = alpha / r}
 * ({@code alpha / sqrt(r)} with rsLoRA), dropout applied to the adapter's input during training only.
 */
public record LoraConfig(int r, double alpha, double dropout, Set<ProjectionKind> targets, boolean rsLora) {

    public LoraConfig {
        if (r < 1) throw new IllegalArgumentException("LoRA r must be >= 1, got " + r);
        if (!(alpha > 0)) throw new IllegalArgumentException("LoRA alpha must be > 0, got " + alpha);
        if (dropout < 0 || dropout >= 1) throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
        if (targets.isEmpty()) throw new IllegalArgumentException("LoRA needs at least one target projection");
        // An EnumSet iterates in declaration order; Set.copyOf's order changes from one JVM to the next, which
        // made create() draw each projection's random A in a different order in every process.
        targets = Collections.unmodifiableSet(EnumSet.copyOf(targets));
    }

    public static LoraConfig of(int r, double alpha, double dropout, Set<ProjectionKind> targets) {
        return new LoraConfig(r, alpha, dropout, targets, false);
    }

    public static Set<ProjectionKind> allProjections() {
        return EnumSet.allOf(ProjectionKind.class);
    }

    public double scaling() {
        return rsLora ? alpha / Math.sqrt(r) : alpha / r;
    }
}
