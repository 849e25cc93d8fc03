package dev.anvil.k8s.check;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/** Label selector matching as the API server does it (matchLabels and matchExpressions, all of them). */
final class Labels {

    private Labels() {}

    /** Whether a plain map selector (a Service's) selects pods with these labels; an empty selector selects none. */
    static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    static boolean isEmpty(LabelSelector selector) {
        return selector == null
                || (Workload.nonNull(selector.getMatchExpressions()).isEmpty()
                        && (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty()));
    }

    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (isEmpty(selector)) {
            return false;
        }
        Map<String, String> matchLabels = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        return labels.entrySet().containsAll(matchLabels.entrySet())
                && Workload.nonNull(selector.getMatchExpressions()).stream().allMatch(e -> matches(e, labels));
    }

    private static boolean matches(LabelSelectorRequirement requirement, Map<String, String> labels) {
        String value = labels.get(requirement.getKey());
        List<String> values = Workload.nonNull(requirement.getValues());
        return switch (requirement.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> false;
        };
    }
}
