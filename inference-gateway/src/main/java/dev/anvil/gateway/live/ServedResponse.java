package dev.anvil.gateway.live;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A response id this gateway answered, the version that answered it and the model name it was asked by. */
@Entity
@Table(name = "served_response")
public class ServedResponse extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "version_id")
    public String versionId;
    public String model;
    @Column(name = "created_at")
    public Instant createdAt;
}
