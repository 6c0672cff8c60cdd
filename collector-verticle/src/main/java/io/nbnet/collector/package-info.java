/**
 * The collector: its verticle and its section of the configuration. The launcher and the demo deploy
 * it.
 */
@ModuleApi
package io.nbnet.collector;

import io.nbnet.support.ModuleApi;
