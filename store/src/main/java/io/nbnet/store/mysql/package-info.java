/**
 * The reactive MySQL pools the store works with, bounded against a silent server, the sorting of
 * database errors, the leader lock and the health of writes. Internal to the store.
 */
package io.nbnet.store.mysql;
