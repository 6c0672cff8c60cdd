/**
 * Sampling the host: one source per /proc (or /sys, df) file behind a sampler that isolates each
 * source's failures. The collector uses it; the bench measures it.
 */
@ModuleApi
package io.nbnet.collector.proc;

import io.nbnet.support.ModuleApi;
