package dev.anvil.dataset.version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A named dataset: the line of versions uploaded under one name. */
@Entity
@Table(name = "dataset")
public class Dataset extends PanacheEntityBase {

    @Id
    @Column(name = "name", length = 128)
    public String name;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public static Dataset create(String name, Instant createdAt) {
        Dataset dataset = new Dataset();
        dataset.name = name;
        dataset.createdAt = createdAt;
        return dataset;
    }
}
