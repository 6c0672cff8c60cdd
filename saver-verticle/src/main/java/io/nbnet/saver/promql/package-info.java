/**
 * The Prometheus query API on the saver's HTTP port ({@code /api/v1/*}): nbnet's series under Prometheus
 * names ({@link io.nbnet.saver.promql.PromNames}), fetched from the store, evaluated by the PromQL engine.
 */
package io.nbnet.saver.promql;
