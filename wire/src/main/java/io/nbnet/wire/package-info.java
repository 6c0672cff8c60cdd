/**
 * The wire protocol: the 10-digit framing on RecordParser, replies and error kinds, the frame server
 * and its connections, the frame client and the links (TCP, event bus) components send frames over.
 * Depends on support alone; components and the bench use it.
 */
@ModuleApi
package io.nbnet.wire;

import io.nbnet.support.ModuleApi;
