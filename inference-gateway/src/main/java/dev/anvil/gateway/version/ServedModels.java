package dev.anvil.gateway.version;

import dev.anvil.events.datadir.DataDirectory;
import dev.anvil.gateway.engine.Engines;
import dev.anvil.gateway.route.Routes;
import dev.anvil.gateway.route.StickyAssignment;
import dev.anvil.gateway.route.Variant;
import dev.anvil.service.http.RefusedException;
import dev.anvil.llm.serve.AdapterRef;
import dev.anvil.llm.serve.ServingEngine;
import dev.anvil.service.http.SafeText;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What serves a public model name: the engine of its base model, the adapter to run with (none for a base model
 * or a merged one) and the version to name in {@code x-anvil-model-version}. A base model is served under its own
 * name (version = its name); a route name serves its version: an adapter version on its base model's engine (the
 * adapter attached on demand under the version id), a version with a model of its own on an engine loaded on demand.
 */
@ApplicationScoped
public class ServedModels {

    /** A resolved model name. */
    public record Target(String model, String version, ServingEngine engine, AdapterRef adapter) {
    }

    private final Engines engines;
    private final Routes routes;
    private final DataDirectory dataDir;

    public ServedModels(Engines engines, Routes routes, @ConfigProperty(name = "anvil.data-dir") Path dataDir) {
        this.engines = engines;
        this.routes = routes;
        this.dataDir = new DataDirectory(dataDir);
    }

    /**
     * What serves {@code model} for this caller: on a route, the variant {@code subject} is assigned to
     * ({@link StickyAssignment}), or the variant {@code forcedVersion} names.
     *
     * @param subject       who asks (the request's user, else its key); null: a random variant by the weights
     * @param forcedVersion a version the caller chose itself (an admin key's choice), or null
     * @throws UnknownModelException when nothing is served under {@code model}
     * @throws ModelNotReadyException when its model is loading or failed to load
     * @throws RefusedException (400) when {@code forcedVersion} is not a variant of {@code model}
     */
    public Target resolve(String model, String subject, String forcedVersion) {
        if (engines.state(model) != null) {
            if (forcedVersion != null && !forcedVersion.equals(model)) throw notAVariant(model, forcedVersion, List.of(model));
            return new Target(model, model, baseEngine(model, model), null);
        }
        List<Variant> variants = routes.variantsOf(model).orElseThrow(() -> new UnknownModelException(model));
        String versionId = forcedVersion == null ? StickyAssignment.pick(variants, StickyAssignment.bucket(model, subject)).version
                : variants.stream().map(v -> v.version).filter(forcedVersion::equals).findFirst().orElseThrow(() ->
                        notAVariant(model, forcedVersion, variants.stream().map(v -> v.version).toList()));
        ModelVersion version = ModelVersion.findById(versionId);
        if (version.hasAdapter()) {
            return new Target(model, version.id, baseEngine(version.baseModel, model),
                    new AdapterRef(version.id, dataDir.root().resolve(version.adapterPath)));
        }
        Engines.OnDemand own = engines.onDemand(version.id, dataDir.root().resolve(version.modelPath));
        if (own.engine() == null) {
            throw own.state() == Engines.State.LOADING ? ModelNotReadyException.loading(model)
                    : ModelNotReadyException.unavailable(model, own.why());
        }
        return new Target(model, version.id, own.engine(), null);
    }

    private static RefusedException notAVariant(String model, String forced, List<String> versions) {
        return RefusedException.invalid("x-anvil-model-version: '" + SafeText.of(forced) + "' is not a version of model '" + model
                + "' (its versions: " + String.join(", ", versions) + ")");
    }

    private ServingEngine baseEngine(String base, String model) {
        Engines.State state = engines.state(base);
        if (state == null) {
            throw ModelNotReadyException.unavailable(model, "runs on base model '" + base + "', which this gateway "
                    + "does not load (anvil.gateway.base-models)");
        }
        return engines.engine(base).orElseThrow(() -> state == Engines.State.LOADING
                ? ModelNotReadyException.loading(model)
                : ModelNotReadyException.unavailable(model, "failed to load and is not served"));
    }

    /** The names a client may call, sorted: the loaded base models and every route. */
    public List<String> names() {
        Stream<String> bases = engines.states().entrySet().stream()
                .filter(e -> e.getValue() == Engines.State.READY).map(e -> e.getKey());
        return List.copyOf(new TreeSet<>(Stream.concat(bases, routes.names().stream()).toList()));
    }
}
