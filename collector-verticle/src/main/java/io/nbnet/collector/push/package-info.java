/**
 * What applications push to the collector: HTTP (native, InfluxDB, Open-Falcon) and StatsD. Internal
 * to the collector.
 */
package io.nbnet.collector.push;
