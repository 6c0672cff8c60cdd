/**
 * Compaction: closed windows of the staging ring become raw blocks and 5-minute and hour rollups, by
 * the saver holding the compactor lock. Internal to the store.
 */
package io.nbnet.store.compaction;
