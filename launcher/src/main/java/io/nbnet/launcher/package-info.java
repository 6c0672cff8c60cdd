/**
 * The nbnet process: the Vert.x launcher with configuration checks, the main verticle that deploys the
 * components, reloads and the monitor (/metrics, /health). The demo starts it.
 */
@ModuleApi
package io.nbnet.launcher;

import io.nbnet.support.ModuleApi;
