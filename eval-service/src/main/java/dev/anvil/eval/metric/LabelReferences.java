package dev.anvil.eval.metric;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rule deciding that a test set's references are class labels (sentiment, yes/no, option letters), for which
 * accuracy and macro F1 are reported as well. References are labels when all of these hold:
 * <ul>
 *   <li>there is at least one reference;</li>
 *   <li>every reference, trimmed, is a single line of at most {@value #MAX_LABEL_LENGTH} characters whose
 *       {@link AnswerNormalization#label label form} is not empty;</li>
 *   <li>there are at most {@value #MAX_DISTINCT_LABELS} distinct label forms;</li>
 *   <li>labels repeat: there are at most half as many distinct labels as references (free-form short answers, such
 *       as SQuAD's, are mostly distinct and fail here).</li>
 * </ul>
 */
public final class LabelReferences {

    public static final int MAX_LABEL_LENGTH = 32;
    public static final int MAX_DISTINCT_LABELS = 20;

    private LabelReferences() {
    }

    public static boolean areLabels(List<String> references) {
        if (references.isEmpty()) return false;
        Set<String> distinct = new HashSet<>();
        for (String reference : references) {
            String trimmed = reference.strip();
            if (trimmed.length() > MAX_LABEL_LENGTH || trimmed.indexOf('\n') >= 0 || trimmed.indexOf('\r') >= 0) {
                return false;
            }
            String label = AnswerNormalization.label(trimmed);
            if (label.isEmpty()) return false;
            distinct.add(label);
            if (distinct.size() > MAX_DISTINCT_LABELS) return false;
        }
        return 2 * distinct.size() <= references.size();
    }
}
