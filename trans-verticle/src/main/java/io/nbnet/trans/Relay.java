package io.nbnet.trans;

import io.nbnet.formats.PayloadHosts;
import io.nbnet.wire.MessageHandler;
import io.nbnet.wire.RequestHandler;

/**
 * Where trans passes a request on (the savers, or the savers with trans's spool behind them): as it
 * came, or with the hosts trans found in it already (for host identity, or to partition by host in
 * Kafka mode), so a payload is looked into once.
 */
interface Relay extends RequestHandler, MessageHandler<PayloadHosts> {
}
