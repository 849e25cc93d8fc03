package dev.anvil.gateway.route;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A public model name and the variants (versions) that share its traffic, in assignment order. */
@Entity
@Table(name = "route")
public class Route extends PanacheEntityBase {
    @Id
    public String name;
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "route_variant", joinColumns = @JoinColumn(name = "route_name"))
    @OrderColumn(name = "position")
    public List<Variant> variants = new ArrayList<>();
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
