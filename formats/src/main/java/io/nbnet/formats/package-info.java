/**
 * Payloads as data: the {@code Sample}, canonical tags, the limits every format shares, and the hosts
 * of a frame. Depends on nothing of nbnet; every component that reads samples uses it.
 */
@ModuleApi
package io.nbnet.formats;

import io.nbnet.support.ModuleApi;
