/**
 * Prometheus rule files for nbnet: {@code RuleFiles} reads and checks them (each error with its line and
 * column), {@code RuleGroup} evaluates alerting and recording rules with the PromQL engine as Prometheus
 * 2.42 does (pending, firing, {@code for}, {@code keep_firing_for}, {@code ALERTS}, stale markers), and
 * {@code RuleUnitTests} runs Prometheus's rule unit-test files ({@code promtool test rules}).
 */
@ModuleApi
package io.nbnet.rules;

import io.nbnet.support.ModuleApi;
