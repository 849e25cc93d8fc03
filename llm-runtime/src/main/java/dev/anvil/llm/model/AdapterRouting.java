package dev.anvil.llm.model;

import dev.anvil.llm.torch.NativeScope;
import dev.anvil.llm.torch.Tensors;
import org.bytedeco.pytorch.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which adapter each row of a batch uses (null: the base model alone), so that one forward pass serves sequences
 * of different adapters. Built once per forward; the row indices per adapter are computed once and shared by all
 * projections.
 */
public final class AdapterRouting {

    private final List<String> perRow;
    private final Map<String, Tensor> rowsByAdapter = new HashMap<>();

    private AdapterRouting(List<String> perRow) {
        this.perRow = Collections.unmodifiableList(new ArrayList<>(perRow));
    }

    /** One adapter name (or null) per batch row. */
    public static AdapterRouting perRow(List<String> adapterPerRow) {
        return new AdapterRouting(adapterPerRow);
    }

    public static AdapterRouting uniform(String adapter, int batch) {
        String[] names = new String[batch];
        Arrays.fill(names, adapter);
        return new AdapterRouting(Arrays.asList(names));
    }

    public int batchSize() {
        return perRow.size();
    }

    public List<String> adapters() {
        return perRow;
    }

    public boolean usesEveryRow(String adapter) {
        return perRow.stream().allMatch(adapter::equals);
    }

    /** Indices (int64) of the rows using {@code adapter}, or null when none does. */
    public synchronized Tensor rowsUsing(String adapter) {
        if (!perRow.contains(adapter)) return null;
        return rowsByAdapter.computeIfAbsent(adapter, a -> {
            long[] rows = new long[perRow.size()];
            int n = 0;
            for (int i = 0; i < perRow.size(); i++) if (a.equals(perRow.get(i))) rows[n++] = i;
            // Cached across forward passes (a generation's steps), so it must outlive the caller's NativeScope.
            return NativeScope.retain(Tensors.longs(Arrays.copyOf(rows, n), n));
        });
    }
}
