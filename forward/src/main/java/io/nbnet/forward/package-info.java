/**
 * Hands samples on to the stores a fleet already keeps, in Prometheus remote write 1.0: each target
 * ({@code RemoteWriteTarget}) its own queue, spool and sender; {@code ForwardTargets} takes the frames.
 */
@ModuleApi
package io.nbnet.forward;

import io.nbnet.support.ModuleApi;
