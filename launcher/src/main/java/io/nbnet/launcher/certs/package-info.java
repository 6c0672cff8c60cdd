/**
 * Making throwaway certificates for trying TLS out. Internal to the launcher.
 */
package io.nbnet.launcher.certs;
