/**
 * The query API's answers (hosts, series, buckets) from one store or from the shards of Kafka mode.
 * Internal to the saver.
 */
package io.nbnet.saver.query;
