package dev.anvil.gateway.live;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A client's rating of one served answer (1 or -1), with an optional correction; one per response id. */
@Entity
@Table(name = "feedback")
public class Feedback extends PanacheEntityBase {
    @Id
    @Column(name = "response_id")
    public String responseId;
    @Column(name = "version_id")
    public String versionId;
    public String model;
    public short rating;
    public String correction;
    @Column(name = "created_at")
    public Instant createdAt;
}
