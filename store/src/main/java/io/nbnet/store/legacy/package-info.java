/**
 * The legacy agents' {@code stat_N} tables and the rule that picks one per host. Internal to the
 * store.
 */
package io.nbnet.store.legacy;
