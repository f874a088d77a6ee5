package io.sqlgate.k8s;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Kubernetes label-selector semantics: matchLabels and matchExpressions, all ANDed; {} matches all. */
final class Selectors {

    private Selectors() {
    }

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> required = Objects.requireNonNullElse(selector.getMatchLabels(), Map.of());
        for (Map.Entry<String, String> entry : required.entrySet()) {
            if (!entry.getValue().equals(labels.get(entry.getKey()))) {
                return false;
            }
        }
        List<LabelSelectorRequirement> expressions =
                Objects.requireNonNullElse(selector.getMatchExpressions(), List.of());
        for (LabelSelectorRequirement expression : expressions) {
            String value = labels.get(expression.getKey());
            List<String> values = Objects.requireNonNullElse(expression.getValues(), List.of());
            boolean ok = switch (expression.getOperator()) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new IllegalArgumentException("unknown operator " + expression.getOperator());
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A Service-style selector (a plain map): every pair must be present. */
    static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }
}
