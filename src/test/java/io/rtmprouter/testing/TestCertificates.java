package io.rtmprouter.testing;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keys and certificates made on the spot, written as the PEM files a `bind ... ssl crt` reads.
 * Certificates are self-signed unless issued by a {@link #ca CA} credential. Example:
 * {@code TestCertificates.rsa("b.example.com", "b.example.com").writePem(dir.resolve("b.pem"), KeyFormat.PKCS1)}.
 */
public final class TestCertificates {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** How a private key is written: the three PEM forms HAProxy users have. */
    public enum KeyFormat {
        /** "RSA PRIVATE KEY" (openssl genrsa, traditional form); RSA keys only. */
        PKCS1("RSA PRIVATE KEY"),
        /** "PRIVATE KEY" (openssl genpkey, any key type). */
        PKCS8("PRIVATE KEY"),
        /** "EC PRIVATE KEY" (openssl ecparam -genkey); EC keys only. */
        SEC1("EC PRIVATE KEY");

        public final String pemType;

        KeyFormat(String pemType) {
            this.pemType = pemType;
        }
    }

    /** A key pair and its certificate. */
    public record Credential(KeyPair keys, X509Certificate certificate) {
        public String certificatePem() {
            return TestCertificates.certificatePem(certificate);
        }

        public String keyPem(KeyFormat format) {
            return TestCertificates.keyPem(keys.getPrivate(), format);
        }

        /** Writes the certificate, then the key, into one PEM file (HAProxy's usual layout); returns the file. */
        public Path writePem(Path file, KeyFormat format) {
            return write(file, certificatePem() + keyPem(format));
        }

        /** Writes the certificate alone; the key goes to file + ".key" (HAProxy's other layout); returns file. */
        public Path writePemWithKeyBeside(Path file, KeyFormat format) {
            write(Path.of(file + ".key"), keyPem(format));
            return write(file, certificatePem());
        }
    }

    private TestCertificates() {
    }

    /** RSA 2048, self-signed, with the given SAN dNSNames (none: the CN alone names it). */
    public static Credential rsa(String commonName, String... dnsNames) {
        KeyPair keys = rsaKeys();
        return new Credential(keys, certificate(commonName, dnsNames, keys, commonName, keys.getPrivate(), false));
    }

    /** EC P-256, self-signed. */
    public static Credential ec(String commonName, String... dnsNames) {
        KeyPair keys = ecKeys();
        return new Credential(keys, certificate(commonName, dnsNames, keys, commonName, keys.getPrivate(), false));
    }

    /** A self-signed RSA certificate authority, to issue chains with {@link #issuedBy}. */
    public static Credential ca(String commonName) {
        KeyPair keys = rsaKeys();
        return new Credential(keys, certificate(commonName, new String[0], keys, commonName, keys.getPrivate(), true));
    }

    /** An RSA certificate for the given names, signed by the CA. */
    public static Credential issuedBy(Credential ca, String commonName, String... dnsNames) {
        KeyPair keys = rsaKeys();
        String issuer = ca.certificate().getSubjectX500Principal().getName();
        return new Credential(keys, certificate(commonName, dnsNames, keys, issuer, ca.keys().getPrivate(), false));
    }

    public static String certificatePem(X509Certificate certificate) {
        try {
            return pem(new PemObject("CERTIFICATE", certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String keyPem(PrivateKey key, KeyFormat format) {
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
            byte[] der = switch (format) {
                case PKCS8 -> key.getEncoded();
                // The inner structure of a PKCS#8 RSA key is the PKCS#1 RSAPrivateKey.
                case PKCS1 -> info.parsePrivateKey().toASN1Primitive().getEncoded();
                case SEC1 -> {
                    // SEC1 as openssl writes it: with the named curve inside, which PKCS#8 keeps outside, and
                    // the public key (optional in SEC1; recomputed here from the private value).
                    ECPrivateKey ec = (ECPrivateKey) key;
                    ASN1Encodable curve = info.getPrivateKeyAlgorithm().getParameters();
                    yield new org.bouncycastle.asn1.sec.ECPrivateKey(ec.getParams().getOrder().bitLength(), ec.getS(),
                            new DERBitString(publicPoint(ec)), curve).getEncoded();
                }
            };
            return pem(new PemObject(format.pemType, der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The uncompressed public point d*G of an EC private key. */
    private static byte[] publicPoint(ECPrivateKey key) {
        org.bouncycastle.jce.spec.ECParameterSpec spec = EC5Util.convertSpec(key.getParams());
        return spec.getG().multiply(key.getS()).normalize().getEncoded(false);
    }

    public static Path write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.US_ASCII);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static KeyPair rsaKeys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair ecKeys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate certificate(String commonName, String[] dnsNames, KeyPair subject, String issuerName,
                                               PrivateKey issuerKey, boolean isCa) {
        try {
            Instant now = Instant.now();
            X500Name issuer = issuerName.contains("=") ? new X500Name(issuerName) : new X500Name("CN=" + issuerName);
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(30))), new X500Name("CN=" + commonName), subject.getPublic());
            if (dnsNames.length > 0) {
                GeneralName[] names = Arrays.stream(dnsNames).map(n -> new GeneralName(GeneralName.dNSName, n))
                        .toArray(GeneralName[]::new);
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            if (isCa) {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            }
            String algorithm = issuerKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(algorithm)
                    .build(issuerKey)));
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(PemObject object) throws IOException {
        StringWriter out = new StringWriter();
        try (PemWriter w = new PemWriter(out)) {
            w.writeObject(object);
        }
        return out.toString();
    }
}
