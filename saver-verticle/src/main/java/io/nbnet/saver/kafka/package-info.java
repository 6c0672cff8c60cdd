/**
 * Kafka mode's consumer: each partition into the storage of the shard that owns it. Internal to the
 * saver.
 */
package io.nbnet.saver.kafka;
