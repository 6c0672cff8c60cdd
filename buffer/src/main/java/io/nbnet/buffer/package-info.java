/**
 * Where frames wait for the next hop: the memory queue in front of the disk spool (segment files),
 * dead letters, and what they hold. Used by the collector's shipper and trans's spool; the launcher's
 * spool tool inspects it.
 */
@ModuleApi
package io.nbnet.buffer;

import io.nbnet.support.ModuleApi;
