package dev.anvil.llm.torch;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;

import java.util.function.Supplier;

/**
 * A region whose native temporaries (tensors, options, optionals) are freed when it closes. Without one per
 * forward/training step native memory grows by megabytes per step, since the JVM's GC does not see it.
 *
 * <pre>{@code
 * try (NativeScope scope = new NativeScope()) {
 *     Tensor logits = model.forward(ids, mask);
 *     float v = logits.get(...).item_float();          // used inside: nothing to do
 *     result = scope.keep(model.forward(...));          // needed after: keep it
 * }
 * }</pre>
 */
public final class NativeScope implements AutoCloseable {

    private final PointerScope scope;

    public NativeScope() {
        Torch.init();
        this.scope = new PointerScope();
    }

    /**
     * Keeps {@code p} alive after this scope closes; the caller owns it then (freed by GC, by an enclosing
     * scope it is attached to afterwards, or by {@code p.close()}).
     */
    public <P extends Pointer> P keep(P p) {
        p.retainReference();
        return p;
    }

    /**
     * Makes {@code p} immune to whatever scope is open now (a model loaded inside a request's scope must not lose
     * its weights when the request ends). It is then freed by the garbage collector once unreachable.
     */
    public static <P extends Pointer> P retain(P p) {
        p.retainReference();
        return p;
    }

    /** Runs {@code body} in a fresh scope and keeps only its result. */
    public static <P extends Pointer> P run(Supplier<P> body) {
        try (NativeScope s = new NativeScope()) {
            return s.keep(body.get());
        }
    }

    /**
     * Runs {@code body} in a nested scope and hands its result to the scope open around this call (to the
     * garbage collector when none is): the body's other temporaries are freed at once instead of when the outer
     * scope closes. Under autograd this is safe: what backward needs, the graph holds itself. The decoder runs
     * each layer so, which keeps a training step's memory to what backward needs.
     */
    public static <P extends Pointer> P handOver(Supplier<P> body) {
        PointerScope outer = PointerScope.getInnerScope();
        try (NativeScope inner = new NativeScope()) {
            P result = body.get();
            if (outer != null) outer.attach(result);
            else result.retainReference();
            return result;
        }
    }

    /** Runs {@code body} in a fresh scope whose result is plain Java data. */
    public static <T> T compute(Supplier<T> body) {
        try (NativeScope s = new NativeScope()) {
            return body.get();
        }
    }

    @Override
    public void close() {
        scope.close();
    }
}
