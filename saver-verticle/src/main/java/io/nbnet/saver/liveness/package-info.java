/**
 * Which hosts report, are late or went silent, and the alerts about them. Internal to the saver.
 */
package io.nbnet.saver.liveness;
