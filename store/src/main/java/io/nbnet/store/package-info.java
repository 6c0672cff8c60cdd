/**
 * The storage engine's API: open a {@link io.nbnet.store.Store} on a MySQL database to write samples
 * and run its maintenance, a {@link io.nbnet.store.StoreReader} to read hosts, series and tiers, and
 * the typed sections that configure them. Depends on formats and support; the saver, the launcher's
 * tools, the bench and the demo use it.
 */
@ModuleApi
package io.nbnet.store;

import io.nbnet.support.ModuleApi;
