/**
 * The exec module's meters, in one class. Internal to exec.
 */
package io.nbnet.exec.metrics;
