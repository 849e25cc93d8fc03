package dev.anvil.eval.evaluation;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.Objects;

/**
 * One evaluated example: its line in the validation split, its reference answer, each side's mean NLL on it, and
 * each side's answer with its scores.
 */
@Entity
@Table(name = "evaluation_example")
@IdClass(EvaluationExample.Key.class)
public class EvaluationExample extends PanacheEntityBase {

    /** The primary key: an example's position within its evaluation. */
    public static class Key implements Serializable {
        public String evaluationId;
        public int position;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(evaluationId, k.evaluationId) && position == k.position;
        }

        @Override
        public int hashCode() {
            return Objects.hash(evaluationId, position);
        }
    }

    @Id
    @Column(name = "evaluation_id")
    public String evaluationId;
    @Id
    public int position;
    public long line;
    public String reference;
    /** Tokens whose prediction counts (the assistant's replies), under the candidate's tokenizer. */
    public int tokens;
    /** Mean NLL per counted token; null where that side had nothing to score (cut to nothing). */
    @Column(name = "baseline_nll")
    public Double baselineNll;
    @Column(name = "candidate_nll")
    public Double candidateNll;
    /** Each side's answer to the example's prompt; null where it was not asked (no room left in the context). */
    @Column(name = "baseline_output")
    public String baselineOutput;
    @Column(name = "candidate_output")
    public String candidateOutput;
    /** Each side's sentence-level generation metrics of its answer, as a JSON object. */
    @Column(name = "baseline_scores_json")
    public String baselineScoresJson;
    @Column(name = "candidate_scores_json")
    public String candidateScoresJson;
}
