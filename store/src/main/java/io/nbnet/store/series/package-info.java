/**
 * The host and series dictionaries: ids cached in memory, each host's activity and recorded status.
 * Internal to the store.
 */
package io.nbnet.store.series;
