package dev.anvil.gateway.route;

import dev.anvil.events.datadir.DataNames;
import dev.anvil.gateway.GatewayConfig;
import dev.anvil.service.http.RefusedException;
import dev.anvil.gateway.version.ModelVersion;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Public model names pointing at versions. A base model is served under its own name, so no route may take it:
 * one name, one meaning.
 */
@ApplicationScoped
public class Routes {
    private static final Logger LOG = Logger.getLogger(Routes.class);

    private final GatewayConfig config;

    public Routes(GatewayConfig config) {
        this.config = config;
    }

    /** Points {@code name} at {@code versionId}, creating the route or moving it. */
    @Transactional
    public RouteView put(String name, String versionId) {
        if (!DataNames.isValid(name)) {
            throw RefusedException.invalid("route name must match " + DataNames.PATTERN + " (" + DataNames.RULE + ")");
        }
        if (config.baseModels().contains(name)) {
            throw RefusedException.invalid("route name '" + name + "' is a base model's name; choose another");
        }
        if (versionId == null || versionId.isBlank()) throw RefusedException.invalid("version is required");
        if (!DataNames.isValid(versionId) || ModelVersion.findById(versionId) == null) {
            throw RefusedException.invalid("version '" + shown(versionId) + "' is not registered");
        }
        ModelRoute route = ModelRoute.<ModelRoute>findByIdOptional(name).orElseGet(() -> {
            ModelRoute r = new ModelRoute();
            r.name = name;
            return r;
        });
        route.versionId = versionId;
        route.updatedAt = Instant.now();
        route.persist();
        LOG.infof("route %s -> version %s", name, versionId);
        return RouteView.of(route);
    }

    public List<RouteView> list() {
        return ModelRoute.<ModelRoute>listAll(Sort.by("name")).stream().map(RouteView::of).toList();
    }

    public RouteView get(String name) {
        return RouteView.of(find(name));
    }

    @Transactional
    public void delete(String name) {
        find(name).delete();
        LOG.infof("route %s deleted", name);
    }

    /** The names of every route, for the model list. */
    public List<String> names() {
        return list().stream().map(RouteView::name).toList();
    }

    /** The version a route name serves, if {@code name} is a route. */
    public Optional<ModelVersion> versionOf(String name) {
        return ModelRoute.<ModelRoute>findByIdOptional(name).map(r -> ModelVersion.<ModelVersion>findById(r.versionId));
    }

    /** The routes that serve {@code versionId}, sorted. */
    public List<String> namesServing(String versionId) {
        return ModelRoute.<ModelRoute>list("versionId", Sort.by("name"), versionId).stream().map(r -> r.name).toList();
    }

    private ModelRoute find(String name) {
        return ModelRoute.<ModelRoute>findByIdOptional(name)
                .orElseThrow(() -> RefusedException.notFound("route '" + shown(name) + "' does not exist"));
    }

    private static String shown(String s) {
        return s == null ? "null" : s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
