/**
 * The legacy nbNet agent's JSON message, as old agents send it.
 */
@ModuleApi
package io.nbnet.formats.legacy;

import io.nbnet.support.ModuleApi;
