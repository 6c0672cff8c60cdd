/**
 * Moving an nbnet 1 database (one row per sample) into the tiers, for {@code ./nbnet migrate}.
 */
@ModuleApi
package io.nbnet.store.migration;

import io.nbnet.support.ModuleApi;
