/**
 * One-line logging for every process and the noise filters of the libraries nbnet runs on (used by the
 * entry points: launcher, bench, demo), and {@code OncePerInterval} for events reported at most once a
 * minute however often they come.
 */
@ModuleApi
package io.nbnet.support.logging;

import io.nbnet.support.ModuleApi;
