/**
 * {@code ./nbnet bench-collector}: the collector's own cost per interval. The bench is a tool: nothing
 * depends on it.
 */
package io.nbnet.bench.collector;
