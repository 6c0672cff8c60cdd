/**
 * {@code ./nbnet bench-server}: the QPS test server, and a minimal Netty responder to compare it with.
 * The bench is a tool: nothing depends on it.
 */
package io.nbnet.bench.server;
