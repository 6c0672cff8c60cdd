/**
 * nbnet's meters in the registry Vert.x's metrics use ({@code NbnetMeters}), and the health checks
 * behind {@code /health}. Any module may use it; each module keeps its own meters in one class.
 */
@ModuleApi
package io.nbnet.support.metrics;

import io.nbnet.support.ModuleApi;
