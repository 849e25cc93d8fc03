package dev.anvil.gateway.route;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A public model name and the version it serves. */
@Entity
@Table(name = "model_route")
public class ModelRoute extends PanacheEntityBase {
    @Id
    public String name;
    @Column(name = "version_id")
    public String versionId;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
