/**
 * The wire module's meters, in one class. Internal to wire.
 */
package io.nbnet.wire.metrics;
