/**
 * The tables and views (deploy/create.sql holds the same statements) and their creation while the
 * database may still be away. Internal to the store.
 */
package io.nbnet.store.schema;
