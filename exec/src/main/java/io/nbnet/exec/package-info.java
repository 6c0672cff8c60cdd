/**
 * The exec service: commands run on a worker executor with bounded output and time, without blocking
 * an event loop; the collector's plugins use it.
 */
@ModuleApi
package io.nbnet.exec;

import io.nbnet.support.ModuleApi;
