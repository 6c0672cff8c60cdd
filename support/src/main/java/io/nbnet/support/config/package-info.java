/**
 * Typed, validating views of the JSON configuration ({@code ConfigView}: every error names the dotted
 * key), the reload address and the log line for changes that need a restart. Any module may use it.
 */
@ModuleApi
package io.nbnet.support.config;

import io.nbnet.support.ModuleApi;
