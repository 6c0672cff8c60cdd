package io.nbnet.rules;

import java.util.Map;

/**
 * One rule as its file writes it: an alert ({@code alert}, {@code for}, {@code keep_firing_for},
 * annotations) or a recording rule ({@code record}); labels in name order.
 */
public record RuleDefinition(String name, boolean alerting, String expr, long forMillis, long keepFiringForMillis,
                             Map<String, String> labels, Map<String, String> annotations, int line) {
}
