package dev.anvil.gateway.admin;

import dev.anvil.gateway.drift.DriftAlerts;
import dev.anvil.gateway.drift.DriftMonitor;
import dev.anvil.gateway.drift.VersionDrift;
import dev.anvil.gateway.version.Versions;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/**
 * {@code /admin/drift}: each version's drift as this replica measured it (its reference, its open window, the
 * statistics and histograms of its latest window) and, from the database, the latest alert per feature.
 */
@Path("/admin/drift")
@Produces(MediaType.APPLICATION_JSON)
public class DriftResource {
    private final DriftMonitor monitor;
    private final DriftAlerts alerts;
    private final Versions versions;

    public DriftResource(DriftMonitor monitor, DriftAlerts alerts, Versions versions) {
        this.monitor = monitor;
        this.alerts = alerts;
        this.versions = versions;
    }

    @GET
    public DriftMonitor.Snapshot all() {
        return monitor.snapshot();
    }

    /** 404 for a version that does not exist; its drift is empty until it serves. */
    @GET
    @Path("/{version}")
    public VersionDriftView one(@PathParam("version") String version) {
        versions.get(version);
        return new VersionDriftView(monitor.of(version).orElse(null), alerts.of(version));
    }

    /** @param drift null while the version has served nothing on this replica */
    public record VersionDriftView(VersionDrift.View drift, List<DriftAlerts.Alert> alerts) {
    }
}
