package dev.anvil.llm.lora;

import dev.anvil.llm.model.AdapterRouting;
import dev.anvil.llm.model.Projection;
import dev.anvil.llm.model.Unwrappable;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A base projection plus any number of named LoRA adapters: {@code y = base(x) + scaling * dropout(x) A^T B^T}.
 * Without routing every attached adapter applies to every row; with an {@link AdapterRouting} each row gets only
 * its own adapter (rows are gathered per adapter, so an adapter costs work only for its rows).
 */
public final class LoraProjection implements Projection, Unwrappable {

    private final Projection base;
    private final Map<String, LoraAdapter.Weights> adapters = new LinkedHashMap<>();

    LoraProjection(Projection base) {
        this.base = base;
    }

    @Override
    public Projection base() {
        return base;
    }

    void put(String adapter, LoraAdapter.Weights weights) {
        adapters.put(adapter, weights);
    }

    void remove(String adapter) {
        adapters.remove(adapter);
    }

    boolean contains(String adapter) {
        return adapters.containsKey(adapter);
    }

    boolean isEmpty() {
        return adapters.isEmpty();
    }

    @Override
    public Tensor apply(Tensor x) {
        Tensor y = base.apply(x);
        for (LoraAdapter.Weights w : adapters.values()) y = y.add(w.delta(x));
        return y;
    }

    @Override
    public Tensor apply(Tensor x, AdapterRouting routing) {
        if (routing == null) return apply(x);
        Tensor y = base.apply(x, routing);
        for (Map.Entry<String, LoraAdapter.Weights> e : adapters.entrySet()) {
            String name = e.getKey();
            Tensor rows = routing.rowsUsing(name);
            if (rows == null) continue;
            if (routing.usesEveryRow(name)) {
                y = y.add(e.getValue().delta(x));
            } else {
                Tensor idx = rows.to(x.device(), rows.scalar_type());
                Tensor delta = e.getValue().delta(x.index_select(0, idx));
                y = torch.index_add(y, 0, idx, delta, new Scalar(1));
            }
        }
        return y;
    }
}
