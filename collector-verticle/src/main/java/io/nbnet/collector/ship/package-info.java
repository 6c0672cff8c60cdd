/**
 * Shipping frames to the next hop with acknowledgements, through the buffer when it is away. Internal
 * to the collector.
 */
package io.nbnet.collector.ship;
