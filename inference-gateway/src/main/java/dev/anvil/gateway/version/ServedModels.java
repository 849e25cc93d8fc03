package dev.anvil.gateway.version;

import dev.anvil.gateway.engine.Engines;
import dev.anvil.llm.serve.AdapterRef;
import dev.anvil.llm.serve.ServingEngine;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * What serves a public model name: the engine of its base model, the adapter to run with (none for a base model
 * or a merged one) and the version to name in {@code x-anvil-model-version}. Today every loaded base model is served
 * under its own name.
 */
@ApplicationScoped
public class ServedModels {

    /** A resolved model name. */
    public record Target(String model, String version, ServingEngine engine, AdapterRef adapter) {
    }

    private final Engines engines;

    public ServedModels(Engines engines) {
        this.engines = engines;
    }

    /**
     * @throws UnknownModelException when nothing is served under {@code model}
     * @throws ModelNotReadyException when its base model is loading or failed to load
     */
    public Target resolve(String model) {
        Engines.State state = engines.states().get(model);
        if (state == null) throw new UnknownModelException(model);
        ServingEngine engine = engines.engine(model).orElseThrow(() -> new ModelNotReadyException(model,
                state == Engines.State.LOADING ? "is loading; retry shortly" : "failed to load and is not served"));
        return new Target(model, model, engine, null);
    }

    /** The names a client may call, sorted. */
    public List<String> names() {
        return engines.states().entrySet().stream()
                .filter(e -> e.getValue() == Engines.State.READY).map(e -> e.getKey()).sorted().toList();
    }
}
