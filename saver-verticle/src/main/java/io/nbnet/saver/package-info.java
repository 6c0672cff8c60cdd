/**
 * The saver: its verticle and section; frames from its port, the event bus and Kafka are stored
 * through the store module. The launcher deploys it; its tools read its section.
 */
@ModuleApi
package io.nbnet.saver;

import io.nbnet.support.ModuleApi;
