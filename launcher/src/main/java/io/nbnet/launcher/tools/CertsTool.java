package io.nbnet.launcher.tools;

import io.nbnet.launcher.certs.CertificateMaker;
import io.nbnet.support.logging.OneLineLogging;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ./nbnet certs DIR}: a throwaway CA with server and client certificates, to try TLS and mutual TLS out. */
@Command(name = "nbnet certs", mixinStandardHelpOptions = true,
  description = "Make a throwaway CA, a server certificate and client certificates (PEM) for trying TLS out. Not for production:"
    + " the CA's key is written beside them.")
public final class CertsTool implements Callable<Integer> {

  @Parameters(index = "0", description = "the folder to write to (created when missing; existing files of the same names are replaced)")
  Path folder;

  @Option(names = "--server-names", split = ",", defaultValue = "localhost,127.0.0.1",
    description = "DNS names and IP addresses of the servers (trans, saver), comma-separated (default: ${DEFAULT-VALUE})")
  List<String> serverNames;

  @Option(names = "--clients", split = ",", defaultValue = "",
    description = "host names to make client certificates for (collectors), comma-separated; the certificate names the host")
  List<String> clients;

  @Option(names = "--relay", defaultValue = "trans", description = "the name of trans's own client certificate (default: ${DEFAULT-VALUE})")
  String relay;

  @Option(names = "--days", defaultValue = "365", description = "validity of the server certificate (default: ${DEFAULT-VALUE})")
  int days;

  public static void main(String[] args) {
    OneLineLogging.install();
    System.exit(new CommandLine(new CertsTool()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    CertificateMaker authority = CertificateMaker.newAuthority(folder, "ca", "nbnet throwaway CA");
    print("CA certificate (give it to every side as \"ca\")", authority.caFile());
    CertificateMaker.Issued server = authority.server("server", serverNames, Duration.ofDays(days));
    print("server certificate for " + serverNames, server.certificate());
    print("server key", server.key());
    CertificateMaker.Issued relayCertificate = authority.client("client-" + relay, relay);
    print("trans's client certificate (list \"" + relay + "\" in the saver's tls.trustedRelays)", relayCertificate.certificate());
    for (String client : clients) {
      if (!client.isBlank()) {
        print("client certificate of host " + client, authority.client("client-" + client, client).certificate());
      }
    }
    print("an empty revocation list (tls.crl)", authority.crl("crl", List.of()));
    System.out.println("keys are the same names with -key.pem (mode 600); README \"TLS\" shows the configs that use them");
    return 0;
  }

  private static void print(String what, Path file) {
    System.out.printf("%-76s %s%n", what, file.toAbsolutePath());
    if (!Files.exists(file)) {
      throw new IllegalStateException("not written: " + file);
    }
  }
}
