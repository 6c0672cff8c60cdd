/**
 * Prometheus remote write 1.0: its request decoded into nbnet's samples ({@code RemoteWriteDecoder}),
 * what a request may hold ({@code RemoteWriteLimits}), and what a decoded write brought
 * ({@code DecodedWrite}, shared with OTLP).
 */
@ModuleApi
package io.nbnet.remotewrite;

import io.nbnet.support.ModuleApi;
