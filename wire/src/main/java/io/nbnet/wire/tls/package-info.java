/**
 * TLS on the frame ports and links: server and client settings, certificate reloads and expiry, peer
 * names and host identity. Used by the components that serve or send frames.
 */
@ModuleApi
package io.nbnet.wire.tls;

import io.nbnet.support.ModuleApi;
