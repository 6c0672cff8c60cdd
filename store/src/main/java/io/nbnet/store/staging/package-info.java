/**
 * Samples on their way into the staging table: resolved to ids, batched into multi-row INSERTs,
 * committed, conflicts counted. Internal to the store.
 */
package io.nbnet.store.staging;
