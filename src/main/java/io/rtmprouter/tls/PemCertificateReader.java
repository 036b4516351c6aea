package io.rtmprouter.tls;

import io.rtmprouter.config.SourceLocation;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemObjectParser;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads what one `crt` names, as HAProxy does: a PEM file holding a certificate chain (leaf first)
 * and its private key in any order, the key possibly in PATH.key instead; or a directory whose
 * files are each such a PEM, in alphabetical order. Keys may be PKCS#1 ("RSA PRIVATE KEY"),
 * PKCS#8 ("PRIVATE KEY") or SEC1 ("EC PRIVATE KEY"); other PEM blocks (DH PARAMETERS, EC
 * PARAMETERS, ...) are skipped.
 */
final class PemCertificateReader {
    /** HAProxy's rule: files with these endings sit beside certificates in a directory and are not certificates. */
    private static final List<String> COMPANION_ENDINGS = List.of(".key", ".ocsp", ".issuer", ".sctl");

    private PemCertificateReader() {
    }

    static List<ServerCertificate> read(Path crt, SourceLocation where) throws CertificateLoadException {
        if (Files.isDirectory(crt)) {
            return readDirectory(crt, where);
        }
        return List.of(readFile(crt, where));
    }

    private static List<ServerCertificate> readDirectory(Path dir, SourceLocation where) throws CertificateLoadException {
        List<Path> files;
        try (Stream<Path> entries = Files.list(dir)) {
            files = entries.filter(Files::isRegularFile)
                    .filter(f -> COMPANION_ENDINGS.stream().noneMatch(f.getFileName().toString()::endsWith))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new CertificateLoadException(where, dir, "cannot list the directory: " + describe(e));
        }
        if (files.isEmpty()) {
            throw new CertificateLoadException(where, dir, "the directory holds no certificate file");
        }
        List<ServerCertificate> out = new ArrayList<>();
        for (Path f : files) {
            out.add(readFile(f, where));
        }
        return out;
    }

    private static ServerCertificate readFile(Path file, SourceLocation where) throws CertificateLoadException {
        PemContents pem = parse(file, where);
        if (pem.blocks == 0) {
            throw new CertificateLoadException(where, file, "not a PEM file (no '-----BEGIN' block in it)");
        }
        if (pem.certificates.isEmpty()) {
            throw new CertificateLoadException(where, file, "no certificate in it");
        }
        Path keyFile = file;
        PemContents keys = pem;
        if (pem.keys.isEmpty()) {
            // As HAProxy: a PEM without its key takes it from PATH.key.
            keyFile = Path.of(file + ".key");
            if (!Files.exists(keyFile)) {
                throw new CertificateLoadException(where, file, "no private key in it, nor in '" + keyFile + "'");
            }
            keys = parse(keyFile, where);
            if (keys.keys.isEmpty()) {
                throw new CertificateLoadException(where, keyFile, "no private key in it");
            }
        }
        if (keys.keys.size() > 1) {
            throw new CertificateLoadException(where, keyFile, keys.keys.size()
                    + " private keys in it; a certificate takes exactly one");
        }
        PrivateKey key = keys.keys.get(0);
        X509Certificate leaf = pem.certificates.get(0);
        if (!KeyMatch.isSupported(key.getAlgorithm())) {
            throw new CertificateLoadException(where, keyFile, "its private key is of type " + key.getAlgorithm()
                    + ", which rtmp-router does not support (RSA or EC)");
        }
        if (!KeyMatch.matches(key, leaf.getPublicKey())) {
            String whose = keyFile.equals(file) ? "its private key" : "the private key in '" + keyFile + "'";
            throw new CertificateLoadException(where, file, whose + " does not match the certificate's public key");
        }
        try {
            return new ServerCertificate(file, pem.certificates, key, CertificateHostNames.of(leaf));
        } catch (GeneralSecurityException e) {
            throw new CertificateLoadException(where, file, "unreadable subject alternative names: " + e.getMessage());
        }
    }

    /** What one PEM file holds: certificates in file order, unencrypted keys, and how many blocks in all. */
    private static final class PemContents {
        final List<X509Certificate> certificates = new ArrayList<>();
        final List<PrivateKey> keys = new ArrayList<>();
        int blocks;
    }

    private static PemContents parse(Path file, SourceLocation where) throws CertificateLoadException {
        String text;
        try {
            // ISO-8859-1 decodes any byte: a binary (DER) file becomes "no PEM block", not a decoding error.
            text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new CertificateLoadException(where, file, describe(e));
        }
        PemContents out = new PemContents();
        JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
        JcaX509CertificateConverter certificates = new JcaX509CertificateConverter();
        try (PEMParser parser = new SkippingPemParser(text)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                out.blocks++;
                if (o instanceof X509CertificateHolder c) {
                    out.certificates.add(certificates.getCertificate(c));
                } else if (o instanceof PEMKeyPair kp) {
                    // The private half only: the public key is optional in "EC PRIVATE KEY".
                    out.keys.add(keys.getPrivateKey(kp.getPrivateKeyInfo()));
                } else if (o instanceof PrivateKeyInfo info) {
                    out.keys.add(keys.getPrivateKey(info));
                } else if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new CertificateLoadException(where, file, "its private key is encrypted, which rtmp-router"
                            + " does not support: store the key unencrypted, readable only by the router");
                }
            }
        } catch (IOException | GeneralSecurityException | IllegalStateException | IllegalArgumentException e) {
            // BouncyCastle reports bad base64 and bad DER as unchecked exceptions as well as IOException.
            throw new CertificateLoadException(where, file, "malformed PEM: " + e.getMessage());
        }
        return out;
    }

    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return "cannot read it: " + e.getMessage();
    }

    /**
     * BouncyCastle's parser fails on block types it does not know, such as the "DH PARAMETERS"
     * HAProxy users keep in their PEM files; this one returns such blocks unparsed instead.
     */
    private static final class SkippingPemParser extends PEMParser {
        SkippingPemParser(String text) {
            super(new StringReader(text));
        }

        @Override
        public Object readObject() throws IOException {
            PemObject block = readPemObject();
            if (block == null) {
                return null;
            }
            Object parser = parsers.get(block.getType());
            return parser instanceof PemObjectParser p ? p.parseObject(block) : block;
        }
    }
}
