/**
 * What the store's tables hold, for those that read or load them without the store (SQL users, the
 * bench's loaders): their names, the five-minute windows time is cut into, and the encodings of raw
 * blocks and rollups.
 */
@ModuleApi
package io.nbnet.store.tables;

import io.nbnet.support.ModuleApi;
