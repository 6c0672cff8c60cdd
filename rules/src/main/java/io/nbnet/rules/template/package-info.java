/**
 * The subset of Go's text/template that rules use ({@code Template}) and Go's number formatting
 * ({@code GoFormat}), which the Prometheus APIs' texts follow too.
 */
@ModuleApi
package io.nbnet.rules.template;

import io.nbnet.support.ModuleApi;
