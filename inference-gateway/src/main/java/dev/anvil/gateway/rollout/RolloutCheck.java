package dev.anvil.gateway.rollout;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One check of a canary against the stable version: the outcome and each rule's reason, one per line. */
@Entity
@Table(name = "rollout_check")
public class RolloutCheck extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "version_id")
    public String version;
    @Column(name = "checked_at")
    public Instant checkedAt;
    /** The canary's share during the window checked. */
    public int weight;
    @Enumerated(EnumType.STRING)
    public CanaryCheck.Outcome outcome;
    public String reasons;
}
