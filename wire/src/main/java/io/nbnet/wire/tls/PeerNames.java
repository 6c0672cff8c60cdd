package io.nbnet.wire.tls;

import io.vertx.core.net.NetSocket;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** The names a TLS peer's certificate gives it: its subject's CN and its DNS subject alternative names, in lower case. */
public final class PeerNames {

  private static final int DNS_NAME = 2;

  private PeerNames() {
  }

  /** Empty for a plaintext connection or a client without a certificate. */
  public static Set<String> of(NetSocket socket) {
    if (!socket.isSsl()) {
      return Set.of();
    }
    try {
      List<Certificate> chain = socket.peerCertificates();
      return chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf) ? Set.of() : of(leaf);
    } catch (SSLPeerUnverifiedException noCertificate) {
      return Set.of();
    }
  }

  static Set<String> of(X509Certificate certificate) {
    Set<String> names = new TreeSet<>();
    try {
      for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          names.add(rdn.getValue().toString().toLowerCase(Locale.ROOT));
        }
      }
      Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
      if (alternatives != null) {
        for (List<?> alternative : alternatives) {
          if (alternative.size() == 2 && Integer.valueOf(DNS_NAME).equals(alternative.get(0))) {
            names.add(alternative.get(1).toString().toLowerCase(Locale.ROOT));
          }
        }
      }
    } catch (InvalidNameException | CertificateParsingException e) {
      // an unreadable name names no host
    }
    return Set.copyOf(names);
  }
}
