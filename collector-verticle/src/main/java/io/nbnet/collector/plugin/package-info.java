/**
 * Command plugins: scheduled runs on the exec service, their output parsed into samples. Internal to
 * the collector.
 */
package io.nbnet.collector.plugin;
