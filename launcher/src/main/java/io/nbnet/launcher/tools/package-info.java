/**
 * The command-line tools of the jar: spool, certs, migrate. Internal to the launcher.
 */
package io.nbnet.launcher.tools;
