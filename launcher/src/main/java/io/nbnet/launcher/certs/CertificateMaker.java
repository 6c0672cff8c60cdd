package io.nbnet.launcher.certs;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;

/**
 * A throwaway certificate authority for trying TLS out and for tests: EC P-256 keys, PEM files a
 * Vert.x server or client reads as they are (certificates, PKCS#8 keys, a CRL). Not for production:
 * its CA key sits next to what it signs.
 */
public final class CertificateMaker {

  /** A certificate and its key, as files. */
  public record Issued(Path certificate, Path key, X509Certificate x509) {
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path folder;
  private final X500Name caName;
  private final KeyPair caKeys;
  private final X509Certificate caCertificate;
  private final Path caFile;

  private CertificateMaker(Path folder, X500Name caName, KeyPair caKeys, X509Certificate caCertificate, Path caFile) {
    this.folder = folder;
    this.caName = caName;
    this.caKeys = caKeys;
    this.caCertificate = caCertificate;
    this.caFile = caFile;
  }

  /** A new CA named {@code name}, its certificate written to {@code folder/<fileName>.pem}. */
  public static CertificateMaker newAuthority(Path folder, String fileName, String name) throws IOException, GeneralSecurityException {
    Files.createDirectories(folder);
    KeyPair keys = keyPair();
    X500Name subject = new X500Name("CN=" + name);
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minus(Duration.ofHours(1))),
      Date.from(now.plus(Duration.ofDays(3650))), subject, keys.getPublic());
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
      .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
      .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
    X509Certificate certificate = convert(builder.build(signer(keys)));
    Path file = folder.resolve(fileName + ".pem");
    Files.writeString(file, pem(certificate));
    writeKey(folder.resolve(fileName + "-key.pem"), keys);
    return new CertificateMaker(folder, subject, keys, certificate, file);
  }

  public Path caFile() {
    return caFile;
  }

  /** A server certificate for these DNS names and IP addresses (the first name is its CN). */
  public Issued server(String fileName, List<String> names, Duration validity) throws IOException, GeneralSecurityException {
    return issue(fileName, names.get(0), names, new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth}, validity);
  }

  /** A certificate for a cluster member, server and client at once, for these names and addresses. */
  public Issued node(String fileName, List<String> names) throws IOException, GeneralSecurityException {
    return issue(fileName, names.get(0), names, new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth},
      Duration.ofDays(365));
  }

  /** A client certificate whose CN and DNS name are {@code host}. */
  public Issued client(String fileName, String host) throws IOException, GeneralSecurityException {
    return issue(fileName, host, List.of(host), new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth}, Duration.ofDays(365));
  }

  /** A CRL revoking {@code revoked} (none for an empty one), written to {@code folder/<fileName>.pem}. */
  public Path crl(String fileName, List<X509Certificate> revoked) throws IOException, GeneralSecurityException {
    Instant now = Instant.now();
    X509v2CRLBuilder builder = new X509v2CRLBuilder(caName, Date.from(now.minus(Duration.ofMinutes(5))));
    builder.setNextUpdate(Date.from(now.plus(Duration.ofDays(30))));
    for (X509Certificate certificate : revoked) {
      builder.addCRLEntry(certificate.getSerialNumber(), Date.from(now.minus(Duration.ofMinutes(1))), CRLReason.keyCompromise);
    }
    builder.addExtension(Extension.authorityKeyIdentifier, false, new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(caCertificate));
    Path file = folder.resolve(fileName + ".pem");
    Files.writeString(file, pem(new JcaX509CRLConverter().getCRL(builder.build(signer(caKeys)))));
    return file;
  }

  private Issued issue(String fileName, String commonName, List<String> names, KeyPurposeId[] purposes, Duration validity)
    throws IOException, GeneralSecurityException {
    KeyPair keys = keyPair();
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caName, serial(), Date.from(now.minus(Duration.ofHours(1))),
      Date.from(now.plus(validity)), new X500Name("CN=" + commonName.toLowerCase(Locale.ROOT)), keys.getPublic());
    List<GeneralName> alternatives = new ArrayList<>();
    for (String name : names) {
      alternatives.add(isAddress(name) ? new GeneralName(GeneralName.iPAddress, name) : new GeneralName(GeneralName.dNSName, name));
    }
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
      .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
      .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes))
      .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternatives.toArray(GeneralName[]::new)))
      .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(caCertificate))
      .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
    X509Certificate certificate = convert(builder.build(signer(caKeys)));
    Path certificateFile = folder.resolve(fileName + ".pem");
    Files.writeString(certificateFile, pem(certificate));
    Path keyFile = folder.resolve(fileName + "-key.pem");
    writeKey(keyFile, keys);
    return new Issued(certificateFile, keyFile, certificate);
  }

  private static boolean isAddress(String name) {
    if (!name.matches("[0-9.]+|[0-9a-fA-F:]+:[0-9a-fA-F:.]*")) {
      return false;
    }
    try {
      InetAddress.getByName(name);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(63, RANDOM).add(BigInteger.ONE);
  }

  private static ContentSigner signer(KeyPair keys) throws GeneralSecurityException {
    try {
      return new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static X509Certificate convert(X509CertificateHolder holder) throws GeneralSecurityException {
    return new JcaX509CertificateConverter().getCertificate(holder);
  }

  private static String pem(Object object) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    }
    return text.toString();
  }

  /** PKCS#8, readable by its owner only. */
  private static void writeKey(Path file, KeyPair keys) throws IOException {
    String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(keys.getPrivate().getEncoded())
      + "\n-----END PRIVATE KEY-----\n";
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, pem);
  }
}
