package dev.anvil.trainer.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.anvil.events.EventCodec;
import dev.anvil.events.training.TrainingRequested;
import dev.anvil.trainer.tracking.ExperimentConfig;
import dev.anvil.trainer.tracking.ExperimentRecord;
import dev.anvil.trainer.tracking.ExperimentView;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.TypedQuery;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Reads jobs together with their experiment records: one job in full, or the runs on a dataset compared. */
@ApplicationScoped
public class ExperimentQueries {
    private final int maxRuns;

    public ExperimentQueries(@ConfigProperty(name = "anvil.trainer.compare.max-runs") int maxRuns) {
        this.maxRuns = maxRuns;
    }

    public Optional<JobDetails> details(String jobId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            TrainingJob job = TrainingJob.findById(jobId);
            if (job == null) return Optional.empty();
            return Optional.of(new JobDetails(JobView.of(job), experiment(job, ExperimentRecord.findById(jobId))));
        });
    }

    /**
     * The runs on {@code dataset} (optionally one version, one status), sorted by best validation loss (runs
     * without one last, then oldest first), at most {@code anvil.trainer.compare.max-runs} of them.
     */
    public ComparedRuns compare(String dataset, String version, JobStatus status) {
        StringBuilder hql = new StringBuilder("select j, r from TrainingJob j left join ExperimentRecord r"
                + " on r.jobId = j.id where j.datasetName = :dataset");
        if (version != null) hql.append(" and j.datasetVersion = :version");
        if (status != null) hql.append(" and j.status = :status");
        hql.append(" order by r.bestValidationLoss asc nulls last, j.createdAt asc, j.id asc");
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> {
            TypedQuery<Object[]> query = Panache.getEntityManager().createQuery(hql.toString(), Object[].class)
                    .setParameter("dataset", dataset).setMaxResults(maxRuns + 1);
            if (version != null) query.setParameter("version", version);
            if (status != null) query.setParameter("status", status);
            return query.getResultList();
        });
        boolean more = rows.size() > maxRuns;
        List<TrainingJob> jobs = new ArrayList<>();
        List<ExperimentView> experiments = new ArrayList<>();
        for (Object[] row : rows.subList(0, Math.min(rows.size(), maxRuns))) {
            TrainingJob job = (TrainingJob) row[0];
            jobs.add(job);
            experiments.add(experiment(job, (ExperimentRecord) row[1]));
        }
        List<Map<String, Object>> configs = experiments.stream()
                .map(e -> ExperimentConfig.flatten(e.config())).toList();
        Map<String, Object> common = common(configs);
        List<ComparedRuns.Run> runs = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            TrainingJob job = jobs.get(i);
            ExperimentView e = experiments.get(i);
            runs.add(new ComparedRuns.Run(job.id, job.status.wireName(), job.datasetVersion, job.createdAt,
                    differences(configs.get(i), configs, common), e.baseModelSha256(), e.result(), e.timings()));
        }
        return new ComparedRuns(dataset, version, status == null ? null : status.wireName(), common, runs, more);
    }

    private static ExperimentView experiment(TrainingJob job, ExperimentRecord record) {
        if (record != null) return ExperimentView.of(record);
        try {
            TrainingRequested request = EventCodec.mapper().readValue(job.requestJson, TrainingRequested.class);
            return ExperimentView.notStarted(ExperimentConfig.of(request));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("job " + job.id + " has an unreadable request: " + e.getMessage(), e);
        }
    }

    /** The settings with one value in every run (a setting a run lacks counts as null). */
    private static Map<String, Object> common(List<Map<String, Object>> configs) {
        Map<String, Object> common = new LinkedHashMap<>();
        if (configs.isEmpty()) return common;
        for (String key : allKeys(configs)) {
            Object first = configs.get(0).get(key);
            if (configs.stream().allMatch(c -> Objects.equals(c.get(key), first))) common.put(key, first);
        }
        return common;
    }

    private static Map<String, Object> differences(Map<String, Object> config, List<Map<String, Object>> all,
                                                   Map<String, Object> common) {
        Map<String, Object> differences = new LinkedHashMap<>();
        for (String key : allKeys(all)) {
            if (!common.containsKey(key)) differences.put(key, config.get(key));
        }
        return differences;
    }

    private static Set<String> allKeys(List<Map<String, Object>> configs) {
        Set<String> keys = new LinkedHashSet<>();
        configs.forEach(c -> keys.addAll(c.keySet()));
        return keys;
    }
}
