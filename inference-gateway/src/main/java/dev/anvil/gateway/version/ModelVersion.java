package dev.anvil.gateway.version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A servable version: a base model plus a LoRA adapter ({@code adapterPath}), or a model of its own
 * ({@code modelPath}: merged or fully fine-tuned, Hugging Face layout). Paths are relative to the data directory,
 * so that the same rows hold wherever the volume is mounted.
 */
@Entity
@Table(name = "model_version")
public class ModelVersion extends PanacheEntityBase {
    @Id
    public String id;
    /** The base the adapter runs on; informational for a version with a model of its own. */
    @Column(name = "base_model")
    public String baseModel;
    @Column(name = "adapter_path")
    public String adapterPath;
    @Column(name = "model_path")
    public String modelPath;
    /** The fine-tuning job it came from, if any. */
    @Column(name = "job_id")
    public String jobId;
    /** The dataset a trained version learnt from, if known: how a version with no route named finds its route. */
    @Column(name = "dataset_name")
    public String datasetName;
    @Column(name = "created_at")
    public Instant createdAt;

    public boolean hasAdapter() {
        return adapterPath != null;
    }
}
