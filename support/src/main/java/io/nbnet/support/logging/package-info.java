/**
 * One-line logging for every process and the noise filters of the libraries nbnet runs on. Used by the
 * entry points (launcher, bench, demo).
 */
@ModuleApi
package io.nbnet.support.logging;

import io.nbnet.support.ModuleApi;
