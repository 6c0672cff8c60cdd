/**
 * What every HTTP port of nbnet holds to against hostile and careless clients ({@code HttpGuard}):
 * time limits on a request's header and body and on idle keep-alive connections, a connection cap,
 * refused transfer codings, failed authentications slowed per address, and client errors counted and
 * logged at most once per interval.
 */
@ModuleApi
package io.nbnet.support.http;

import io.nbnet.support.ModuleApi;
