package dev.anvil.gateway.route;

import dev.anvil.events.datadir.DataNames;
import dev.anvil.events.model.TrafficSplitChanged;
import dev.anvil.gateway.GatewayConfig;
import dev.anvil.gateway.events.GatewayEvents;
import dev.anvil.gateway.version.ModelVersion;
import dev.anvil.service.http.RefusedException;
import dev.anvil.service.http.SafeText;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Public model names and the versions that share their traffic. The table lives in the database alone, so every
 * gateway replica serves the same split and a restart finds it as it was; each change is kept with its reason, as
 * the route's history and the outbox of its {@code TrafficSplitChanged} ({@link GatewayEvents}). A base
 * model is served under its own name, so no route may take it: one name, one meaning.
 */
@ApplicationScoped
public class Routes {
    private static final Logger LOG = Logger.getLogger(Routes.class);
    /** More variants than any A/B test needs; bounds the work of an assignment. */
    static final int MAX_VARIANTS = 16;
    static final int MAX_REASON = 1_000;
    static final int HISTORY_SHOWN = 50;

    private final GatewayConfig config;
    private final GatewayEvents events;

    public Routes(GatewayConfig config, GatewayEvents events) {
        this.config = config;
        this.events = events;
    }

    /**
     * Sets the variants of {@code name}, creating the route; the weights (percent) sum to 100. Setting the split a
     * route already has changes nothing and records nothing.
     */
    @Transactional
    public RouteView put(String name, List<RouteView.VariantView> variants, String reason) {
        if (!DataNames.isValid(name)) {
            throw RefusedException.invalid("route name must match " + DataNames.PATTERN + " (" + DataNames.RULE + ")");
        }
        if (config.baseModels().contains(name)) {
            throw RefusedException.invalid("route name '" + name + "' is a base model's name; choose another");
        }
        List<Variant> checked = checked(variants);
        String why = reason == null || reason.isBlank() ? "set by the admin API" : bounded(reason);
        Route route = Route.<Route>findByIdOptional(name).orElseGet(() -> {
            Route r = new Route();
            r.name = name;
            r.createdAt = Instant.now();
            return r;
        });
        if (route.updatedAt != null && sameSplit(route.variants, checked)) return RouteView.of(route, null);
        route.variants.clear();
        route.variants.addAll(checked);
        route.updatedAt = Instant.now();
        route.persist();
        record(name, shares(checked), why);
        LOG.infof("route %s -> %s (%s)", name, shares(checked), why);
        return RouteView.of(route, null);
    }

    public List<RouteView> list() {
        return Route.<Route>listAll(Sort.by("name")).stream().map(r -> RouteView.of(r, null)).toList();
    }

    /** A route with its latest changes, newest first. */
    public RouteView get(String name) {
        return RouteView.of(find(name), events.history(name, HISTORY_SHOWN));
    }

    @Transactional
    public void delete(String name) {
        find(name).delete();
        record(name, Map.of(), "route deleted");
        LOG.infof("route %s deleted", name);
    }

    /** The names of every route, for the model list. */
    public List<String> names() {
        return list().stream().map(RouteView::name).toList();
    }

    /** The variants of {@code name} in assignment order, if it is a route. */
    public Optional<List<Variant>> variantsOf(String name) {
        return Route.<Route>findByIdOptional(name).map(r -> List.copyOf(r.variants));
    }

    /** The routes that have {@code versionId} among their variants, sorted. */
    public List<String> namesServing(String versionId) {
        return Route.<Route>list("select distinct r from Route r join r.variants v where v.version = ?1 order by r.name",
                versionId).stream().map(r -> r.name).toList();
    }

    private List<Variant> checked(List<RouteView.VariantView> variants) {
        if (variants == null || variants.isEmpty()) {
            throw RefusedException.invalid("variants is required: at least one {\"version\", \"weight\"}");
        }
        if (variants.size() > MAX_VARIANTS) {
            throw RefusedException.invalid("variants: at most " + MAX_VARIANTS + ", got " + variants.size());
        }
        List<Variant> checked = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int sum = 0;
        for (int i = 0; i < variants.size(); i++) {
            RouteView.VariantView v = variants.get(i);
            String field = "variants[" + i + "]";
            if (v == null || v.version() == null || v.version().isBlank()) {
                throw RefusedException.invalid(field + ".version is required");
            }
            if (!DataNames.isValid(v.version()) || ModelVersion.findById(v.version()) == null) {
                throw RefusedException.invalid(field + ".version '" + SafeText.of(v.version()) + "' is not registered");
            }
            if (!seen.add(v.version())) {
                throw RefusedException.invalid(field + ".version '" + v.version() + "' is listed twice");
            }
            if (v.weight() < 0 || v.weight() > StickyAssignment.BUCKETS) {
                throw RefusedException.invalid(field + ".weight must be 0..100 (percent), got " + v.weight());
            }
            sum += v.weight();
            checked.add(new Variant(v.version(), v.weight()));
        }
        if (sum != StickyAssignment.BUCKETS) {
            throw RefusedException.invalid("variants: the weights must sum to 100 (percent), got " + sum);
        }
        return checked;
    }

    private static boolean sameSplit(List<Variant> a, List<Variant> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).version.equals(b.get(i).version) || a.get(i).weight != b.get(i).weight) return false;
        }
        return true;
    }

    private static Map<String, Double> shares(List<Variant> variants) {
        Map<String, Double> shares = new LinkedHashMap<>();
        for (Variant v : variants) shares.put(v.version, v.weight / (double) StickyAssignment.BUCKETS);
        return shares;
    }

    private void record(String route, Map<String, Double> shares, String reason) {
        events.record(new TrafficSplitChanged(route, shares, reason));
    }

    private Route find(String name) {
        return Route.<Route>findByIdOptional(name)
                .orElseThrow(() -> RefusedException.notFound("route '" + SafeText.of(name) + "' does not exist"));
    }

    private static String bounded(String reason) {
        String oneLine = reason.replaceAll("\\p{Cntrl}", " ").strip();
        return oneLine.length() <= MAX_REASON ? oneLine : oneLine.substring(0, MAX_REASON) + "...";
    }
}
