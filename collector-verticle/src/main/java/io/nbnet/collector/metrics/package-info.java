/**
 * The collector's meters, in one class. Internal to the collector.
 */
package io.nbnet.collector.metrics;
