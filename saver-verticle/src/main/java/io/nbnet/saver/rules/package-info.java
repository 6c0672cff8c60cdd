/** The alerting and recording rules the saver evaluates ({@code saver.rules}), and their alerts to Alertmanager. */
package io.nbnet.saver.rules;
