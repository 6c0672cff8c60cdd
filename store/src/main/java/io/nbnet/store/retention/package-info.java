/**
 * Keeping each tier within its retention by whole time partitions. Internal to the store.
 */
package io.nbnet.store.retention;
