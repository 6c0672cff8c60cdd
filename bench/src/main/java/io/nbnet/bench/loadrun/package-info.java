/**
 * {@code ./nbnet loadrun}: the load client of the frame benchmarks. The bench is a tool: nothing
 * depends on it.
 */
package io.nbnet.bench.loadrun;
