package dev.anvil.gateway.rollout;

import dev.anvil.events.evaluation.EvaluationCompleted;
import dev.anvil.events.evaluation.Verdict;
import dev.anvil.events.model.ModelVersionPromoted;
import dev.anvil.events.model.ModelVersionRegistered;
import dev.anvil.events.model.ModelVersionRolledBack;
import dev.anvil.gateway.GatewayConfig;
import dev.anvil.gateway.drift.DriftMonitor;
import dev.anvil.gateway.drift.FeatureCheck;
import dev.anvil.gateway.events.GatewayEvents;
import dev.anvil.gateway.live.LiveMetrics;
import dev.anvil.gateway.route.RouteView;
import dev.anvil.gateway.route.Routes;
import dev.anvil.gateway.route.Variant;
import dev.anvil.gateway.version.ModelVersion;
import dev.anvil.gateway.version.Versions;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Trained versions into their routes without a person: a passing verdict makes the version a canary beside its
 * route's stable version, each check of its live metrics ({@link CanaryCheck}) steps its share up or counts a
 * failure, and it ends promoted or rolled back; a failing verdict never reaches traffic. Every step is one
 * transaction over the rollout row, the route and the events it publishes, so a replica that dies mid-way leaves
 * nothing half done, and a check is claimed by one replica through the row's {@code next_check_at}.
 */
@ApplicationScoped
public class Rollouts {
    private static final Logger LOG = Logger.getLogger(Rollouts.class);
    static final int CHECKS_SHOWN = 20;
    private static final int MAX_REASON = 4_000;

    private final Routes routes;
    private final Versions versions;
    private final GatewayEvents events;
    private final LiveMetrics live;
    private final DriftMonitor drift;
    private final GatewayConfig.Rollout settings;

    public Rollouts(Routes routes, Versions versions, GatewayEvents events, LiveMetrics live, DriftMonitor drift,
                    GatewayConfig config) {
        this.routes = routes;
        this.versions = versions;
        this.events = events;
        this.live = live;
        this.drift = drift;
        this.settings = config.rollout();
    }

    /** Takes an evaluation's verdict; a verdict on a version seen before changes nothing. */
    @Transactional
    public void onVerdict(EvaluationCompleted done) {
        if (Rollout.findById(done.modelVersion()) != null) return;
        Rollout r = new Rollout();
        r.version = done.modelVersion();
        r.evaluationId = done.evaluationId();
        r.startedAt = Instant.now();
        if (done.verdict() == Verdict.FAIL) {
            end(r, RolloutState.REJECTED, "evaluation " + done.evaluationId() + " failed: "
                    + String.join("; ", done.reasons()));
            r.persist();
            LOG.infof("version %s rejected by its evaluation: it gets no traffic", r.version);
            return;
        }
        ModelVersion version = versions.registerEvaluated(done);
        Optional<String> route = routeOf(done, version);
        if (route.isEmpty()) {
            end(r, RolloutState.UNROUTED, "passed, but no route is named and none serves base '" + version.baseModel
                    + "' trained on dataset '" + version.datasetName + "': route it with PUT /admin/routes/{name}");
            r.persist();
            LOG.infof("version %s passed but has no route", r.version);
            return;
        }
        r.route = route.get();
        Optional<List<Variant>> current = routes.variantsOf(r.route);
        if (current.isPresent() && current.get().stream().anyMatch(v -> v.version.equals(r.version))) {
            // An operator routed it already: the split is theirs, nothing to roll out.
            end(r, RolloutState.UNROUTED, "already a variant of route " + r.route + " (set by hand): left as it is");
            r.persist();
            return;
        }
        events.record(new ModelVersionRegistered(r.route, r.version, version.baseModel, version.adapterPath));
        if (current.isEmpty()) {
            // A new route: nothing to compare with, so the first version takes it whole.
            routes.put(r.route, List.of(new RouteView.VariantView(r.version, 100)), "first version of the route");
            end(r, RolloutState.PROMOTED, "first version of route " + r.route);
            r.persist();
            events.record(new ModelVersionPromoted(r.route, r.version, null));
            return;
        }
        supersedeCanaryOf(r.route, r.version);
        r.stable = Variant.largest(routes.variantsOf(r.route).orElseThrow());
        r.state = RolloutState.CANARY;
        r.weight = Math.min(settings.firstWeight(), settings.maxWeight());
        r.reason = "passed evaluation " + done.evaluationId();
        r.lastCheckAt = r.startedAt;
        r.nextCheckAt = r.startedAt.plus(settings.interval());
        r.persist();
        split(r, "canary " + r.version + " enters at " + r.weight + "%");
        LOG.infof("version %s is a canary of route %s at %d%% beside %s", r.version, r.route, r.weight, r.stable);
    }

    /** Runs the checks that are due and that this replica claims first; returns how many it ran. */
    public int checkDue() {
        Instant now = Instant.now();
        List<Rollout> due = QuarkusTransaction.requiringNew().call(() -> Rollout.<Rollout>list(
                "state = ?1 and nextCheckAt <= ?2", Sort.by("nextCheckAt"), RolloutState.CANARY, now));
        int ran = 0;
        for (Rollout candidate : due) {
            Instant next = now.plus(settings.interval());
            boolean claimed = QuarkusTransaction.requiringNew().call(() -> Rollout.update(
                    "nextCheckAt = ?1 where version = ?2 and state = ?3 and nextCheckAt = ?4", next,
                    candidate.version, RolloutState.CANARY, candidate.nextCheckAt) == 1);
            if (!claimed) continue; // another replica runs this one
            live.flush(); // this replica's counts into the windows the check reads
            QuarkusTransaction.requiringNew().run(() -> check(candidate.version, now));
            ran++;
        }
        return ran;
    }

    private void check(String versionId, Instant now) {
        Rollout r = Rollout.findById(versionId);
        if (r == null || r.state != RolloutState.CANARY) return;
        List<Variant> variants = routes.variantsOf(r.route).orElse(List.of());
        if (variants.stream().noneMatch(v -> v.version.equals(r.version))) {
            // An operator moved the route by hand (or deleted it): their split stands and the analysis ends.
            end(r, RolloutState.ROLLED_BACK, "taken out of route " + r.route + " by hand");
            events.record(new ModelVersionRolledBack(r.route, r.version, variants.isEmpty() ? null : Variant.largest(variants),
                    r.reason));
            return;
        }
        Optional<FeatureCheck> responseDrift = drift.compareRecent(r.version, r.stable, "response_tokens");
        CanaryCheck.Result result = CanaryCheck.of(live.since(r.version, r.lastCheckAt),
                live.since(r.stable, r.lastCheckAt), responseDrift, settings);
        RolloutCheck check = new RolloutCheck();
        check.version = r.version;
        check.checkedAt = now;
        check.weight = r.weight;
        check.outcome = result.outcome();
        check.reasons = bounded(String.join("\n", result.reasons()));
        check.persist();
        r.lastCheckAt = now;
        switch (result.outcome()) {
            case SKIPPED -> {
            }
            case PASSED -> {
                r.passedChecks++;
                if (r.weight >= settings.maxWeight()) {
                    promote(r);
                } else {
                    r.weight = Math.min(r.weight + settings.stepWeight(), settings.maxWeight());
                    split(r, "canary " + r.version + " passed check " + r.passedChecks + ": " + r.weight + "%");
                }
            }
            case FAILED -> {
                r.failedChecks++;
                if (r.failedChecks >= settings.threshold()) {
                    rollBack(r, r.failedChecks + " failed checks (threshold " + settings.threshold() + "); last: "
                            + result.failures());
                }
            }
        }
    }

    private void promote(Rollout r) {
        routes.put(r.route, List.of(new RouteView.VariantView(r.version, 100)), "canary " + r.version + " promoted");
        end(r, RolloutState.PROMOTED, "promoted after " + r.passedChecks + " passed checks");
        events.record(new ModelVersionPromoted(r.route, r.version, r.stable));
        LOG.infof("version %s promoted on route %s", r.version, r.route);
    }

    private void rollBack(Rollout r, String reason) {
        routes.put(r.route, List.of(new RouteView.VariantView(r.stable, 100)), "canary " + r.version
                + " rolled back: " + reason);
        end(r, RolloutState.ROLLED_BACK, reason);
        events.record(new ModelVersionRolledBack(r.route, r.version, r.stable, bounded(reason)));
        LOG.infof("version %s rolled back on route %s: %s", r.version, r.route, reason);
    }

    /** A newer version replaces a canary still running on the route: the older one goes back out. */
    private void supersedeCanaryOf(String route, String newer) {
        Rollout.<Rollout>list("route = ?1 and state = ?2", route, RolloutState.CANARY)
                .forEach(old -> rollBack(old, "superseded by " + newer));
    }

    /** The stable version at this canary's share: the rest of the traffic, the canary last so its users stay. */
    private void split(Rollout r, String reason) {
        routes.put(r.route, List.of(new RouteView.VariantView(r.stable, 100 - r.weight),
                new RouteView.VariantView(r.version, r.weight)), reason);
    }

    private static void end(Rollout r, RolloutState state, String reason) {
        r.state = state;
        r.reason = bounded(reason);
        r.finishedAt = Instant.now();
        r.nextCheckAt = null;
    }

    /** The route the verdict names, else the one whose main version learnt from the same dataset on the same base. */
    private Optional<String> routeOf(EvaluationCompleted done, ModelVersion version) {
        if (done.route() != null) return Optional.of(done.route());
        if (version.datasetName == null) return Optional.empty();
        return routes.list().stream().filter(route -> {
            ModelVersion main = ModelVersion.findById(route.version());
            return main != null && version.datasetName.equals(main.datasetName)
                    && Objects.equals(version.baseModel, main.baseModel);
        }).map(RouteView::name).findFirst();
    }

    /** The latest rollout of {@code route} with its latest checks, if it ever had one. */
    public Optional<RolloutView> latestOf(String route) {
        return Rollout.<Rollout>find("route", Sort.descending("startedAt"), route).firstResultOptional()
                .map(this::view);
    }

    public Optional<RolloutView> of(String version) {
        return Rollout.<Rollout>findByIdOptional(version).map(this::view);
    }

    private RolloutView view(Rollout r) {
        List<RolloutCheck> checks = RolloutCheck.<RolloutCheck>find("version", Sort.descending("id"), r.version)
                .page(0, CHECKS_SHOWN).list();
        return RolloutView.of(r, checks);
    }

    private static String bounded(String s) {
        return s.length() <= MAX_REASON ? s : s.substring(0, MAX_REASON) + "...";
    }
}
