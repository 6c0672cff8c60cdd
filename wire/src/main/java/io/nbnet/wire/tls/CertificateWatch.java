package io.nbnet.wire.tls;

import io.nbnet.wire.metrics.WireMeters;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.logging.Logger;

/**
 * Rotation without a restart: looks at a TLS server's files every {@code reloadCheckMs} and, when one
 * changed, has the server read them again for the connections that come next (those open keep their
 * session). The served certificate's remaining validity is on /metrics
 * ({@code nbnet_tls_certificate_expiry_seconds{server}}).
 */
public final class CertificateWatch {

  private static final Logger log = Logger.getLogger(CertificateWatch.class.getName());

  private final Vertx vertx;
  private final String server;
  private final WireMeters meters;
  private final ServerTls tls;
  private final NetServer netServer;
  private List<Long> stamps;
  private volatile long notAfterMillis;
  private long timer = -1;

  public CertificateWatch(Vertx vertx, String server, ServerTls tls, NetServer netServer, WireMeters meters) {
    this.vertx = vertx;
    this.server = server;
    this.meters = meters;
    this.tls = tls;
    this.netServer = netServer;
  }

  public void start() {
    stamps = stamps();
    notAfterMillis = notAfter();
    meters.certificateExpiry(() -> (notAfterMillis - System.currentTimeMillis()) / 1000.0);
    timer = vertx.setPeriodic(tls.reloadCheckMillis(), id -> check());
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private void check() {
    List<Long> now = stamps();
    if (now.equals(stamps)) {
      return;
    }
    stamps = now;
    netServer.updateSSLOptions(tls.sslOptions(), true).onComplete(done -> {
      if (done.succeeded()) {
        notAfterMillis = notAfter();
        log.info(server + ": TLS files changed; new connections get the certificate valid until " + java.time.Instant.ofEpochMilli(notAfterMillis));
      } else {
        log.warning(server + ": TLS files changed but cannot be used (" + done.cause().getMessage() + "); the previous ones stay");
      }
    });
  }

  private List<Long> stamps() {
    return tls.files().stream().map(CertificateWatch::modified).toList();
  }

  private static long modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis() ^ Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }

  private long notAfter() {
    try (InputStream in = Files.newInputStream(tls.certificate())) {
      return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in)).getNotAfter().getTime();
    } catch (IOException | CertificateException e) {
      log.warning(server + ": cannot read the certificate " + tls.certificate() + ": " + e.getMessage());
      return notAfterMillis;
    }
  }
}
