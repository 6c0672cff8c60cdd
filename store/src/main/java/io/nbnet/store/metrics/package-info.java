/**
 * The store's meters, in one class. Internal to the store.
 */
package io.nbnet.store.metrics;
