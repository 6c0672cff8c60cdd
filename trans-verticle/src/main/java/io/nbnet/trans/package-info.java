/**
 * The relay: its verticle and section, and where it forwards frames (savers with failover, the event
 * bus, Kafka), with its spool between. Only the verticle and its section are for the launcher.
 */
@ModuleApi
package io.nbnet.trans;

import io.nbnet.support.ModuleApi;
