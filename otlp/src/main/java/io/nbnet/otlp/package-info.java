/**
 * OTLP/HTTP metrics: a request read ({@code OtlpHttp}, {@code OtlpJson}), translated into nbnet's samples
 * as Prometheus's OTLP translation names them ({@code OtlpDecoder}, {@code OtlpNames}), and answered.
 */
@ModuleApi
package io.nbnet.otlp;

import io.nbnet.support.ModuleApi;
