/**
 * The Prometheus query API on the saver's HTTP port ({@code /api/v1/*}): nbnet's series under Prometheus
 * names ({@link io.nbnet.saver.promql.PromNames}), fetched from the store, evaluated by the PromQL engine.
 * Other modules may use the names (the PromQL bench writes its OpenMetrics with them).
 */
@ModuleApi
package io.nbnet.saver.promql;

import io.nbnet.support.ModuleApi;
