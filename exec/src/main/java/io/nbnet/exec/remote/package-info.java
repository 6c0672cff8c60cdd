/**
 * Remote exec over the frame protocol: allow-listed commands behind a token, a handler that wraps
 * another (trans and the bench use it).
 */
@ModuleApi
package io.nbnet.exec.remote;

import io.nbnet.support.ModuleApi;
