package io.nbnet.rules;

import java.util.List;

/** A group as its file writes it; {@code intervalMillis} 0 means the evaluator's default, {@code limit} 0 none. */
public record RuleGroupDefinition(String file, String name, long intervalMillis, int limit, List<RuleDefinition> rules) {
}
