package dev.anvil.k8s.check;

import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.manifest.Problem;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.List;

/** A workload's selector must select its own pod template, or the API server rejects it (or it adopts nothing). */
public final class SelectorCheck implements Check {

    @Override
    public List<Problem> check(Manifests manifests) {
        List<Problem> problems = new ArrayList<>();
        for (Workload workload : Workload.all(manifests)) {
            // Jobs get a generated selector unless they opt out; CronJobs have none.
            boolean generated = workload.owner() instanceof Job || workload.owner() instanceof CronJob;
            if (generated && workload.selector() == null) {
                continue;
            }
            if (Labels.isEmpty(workload.selector())) {
                problems.add(new Problem(workload.describe(), "spec.selector is empty"));
            } else if (!Labels.selects(workload.selector(), workload.podLabels())) {
                problems.add(new Problem(workload.describe(), "spec.selector " + workload.selector().getMatchLabels()
                        + " does not match the pod template labels " + workload.podLabels()));
            }
        }
        return problems;
    }
}
