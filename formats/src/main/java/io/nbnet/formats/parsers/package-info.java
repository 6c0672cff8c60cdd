/**
 * Parsers of the formats plugins print and applications push (Graphite, InfluxDB line protocol, JSON,
 * key=value), into samples.
 */
@ModuleApi
package io.nbnet.formats.parsers;

import io.nbnet.support.ModuleApi;
