/**
 * A real Kafka KRaft broker as a child process, for the tests and the Kafka benchmark. Never in the
 * production jar.
 */
@ModuleApi
package io.nbnet.kafka;

import io.nbnet.support.ModuleApi;
