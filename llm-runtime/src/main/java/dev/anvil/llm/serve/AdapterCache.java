package dev.anvil.llm.serve;

import dev.anvil.llm.lora.LoraAdapter;
import dev.anvil.llm.model.LlamaModel;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The adapters attached to one model: read on first use, kept while used, detached least recently used first once
 * more than {@code capacity} are attached. Used only by the engine's decode thread, between batches.
 */
final class AdapterCache {
    private final LlamaModel model;
    private final int capacity;
    /** Access order: the first entry is the least recently used. */
    private final LinkedHashMap<String, Attached> attached = new LinkedHashMap<>(16, 0.75f, true);

    private record Attached(Path dir, LoraAdapter adapter) {
    }

    AdapterCache(LlamaModel model, int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("adapter capacity must be >= 1, got " + capacity);
        this.model = model;
        this.capacity = capacity;
    }

    /**
     * Makes {@code ref} attached, evicting the least recently used adapters not in {@code inUse} (the names the
     * coming batch needs) while over capacity.
     *
     * @throws IllegalArgumentException when the adapter cannot be read or does not fit the model
     */
    void attach(AdapterRef ref, Set<String> inUse) {
        Attached present = attached.get(ref.name());
        if (present != null) {
            if (present.dir().equals(ref.dir())) return;
            throw new IllegalArgumentException("adapter '" + ref.name() + "' is attached from " + present.dir()
                    + ", not " + ref.dir());
        }
        LoraAdapter adapter = LoraAdapter.load(ref.dir(), ref.name());
        adapter.attachTo(model);
        attached.put(ref.name(), new Attached(ref.dir(), adapter));
        evict(inUse);
    }

    /** Over capacity, the least recently used adapter no coming row needs goes first; in-use ones stay. */
    private void evict(Set<String> inUse) {
        Iterator<Map.Entry<String, Attached>> it = attached.entrySet().iterator();
        while (attached.size() > capacity && it.hasNext()) {
            Map.Entry<String, Attached> e = it.next();
            if (inUse.contains(e.getKey())) continue;
            e.getValue().adapter().detachFrom(model);
            it.remove();
        }
    }

    Set<String> names() {
        return Set.copyOf(attached.keySet());
    }
}
