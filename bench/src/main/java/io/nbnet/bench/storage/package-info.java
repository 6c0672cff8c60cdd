/**
 * The storage benchmarks ({@code bench-storage}, {@code bench-kafka}, {@code bench-commit}): fleets
 * shaped like this machine's collector against the database's ceiling. The bench is a tool: nothing
 * depends on it.
 */
package io.nbnet.bench.storage;
