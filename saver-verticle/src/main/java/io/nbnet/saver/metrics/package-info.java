/**
 * The saver's meters, in one class. Internal to the saver.
 */
package io.nbnet.saver.metrics;
