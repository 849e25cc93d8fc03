package dev.anvil.gateway.rollout;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A trained version on its way into its route (see V4__rollouts.sql). */
@Entity
@Table(name = "rollout")
public class Rollout extends PanacheEntityBase {
    @Id
    @Column(name = "version_id")
    public String version;
    @Column(name = "route_name")
    public String route;
    /** The version that had the route's traffic when the canary entered: what a rollback restores. */
    @Column(name = "stable_version")
    public String stable;
    @Column(name = "evaluation_id")
    public String evaluationId;
    @Enumerated(EnumType.STRING)
    public RolloutState state;
    /** The canary's share of the route in percent. */
    public int weight;
    @Column(name = "passed_checks")
    public int passedChecks;
    @Column(name = "failed_checks")
    public int failedChecks;
    /** Why it is where it is: the verdict's reasons, a rollback's cause, ... */
    public String reason;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "last_check_at")
    public Instant lastCheckAt;
    @Column(name = "next_check_at")
    public Instant nextCheckAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
}
