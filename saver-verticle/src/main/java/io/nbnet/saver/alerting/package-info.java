/** Posting alerts to Alertmanager, for the liveness check and the alerting rules. */
package io.nbnet.saver.alerting;
