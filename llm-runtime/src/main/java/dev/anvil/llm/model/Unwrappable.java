package dev.anvil.llm.model;

/** A projection that decorates another (LoRA around a base), so that the dense base can still be reached. */
public interface Unwrappable {

    Projection base();

    /** The dense layer under any number of decorators, or null when there is none (e.g. quantized). */
    static Linear linearOf(Projection p) {
        while (p instanceof Unwrappable u) p = u.base();
        return p instanceof Linear l ? l : null;
    }
}
