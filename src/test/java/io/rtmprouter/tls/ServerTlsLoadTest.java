package io.rtmprouter.tls;

import io.rtmprouter.config.BindConfig;
import io.rtmprouter.config.SourceLocation;
import io.rtmprouter.config.TlsConfig;
import io.rtmprouter.config.TlsVersion;
import io.rtmprouter.testing.TestCertificates;
import io.rtmprouter.testing.TestCertificates.Credential;
import io.rtmprouter.testing.TestCertificates.KeyFormat;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What `crt PATH` may hold, and the start-up error for each way it can be wrong. */
class ServerTlsLoadTest {
    private static final SourceLocation WHERE = new SourceLocation("test.cfg", 3);
    // Key generation takes a while; one set serves every test.
    private static final Credential RSA = TestCertificates.rsa("rsa.example.com", "rsa.example.com", "www.example.com");
    private static final Credential EC = TestCertificates.ec("ec.example.com");
    private static final Credential CA = TestCertificates.ca("Test CA");
    private static final Credential LEAF = TestCertificates.issuedBy(CA, "leaf.example.com", "leaf.example.com");

    @TempDir
    Path dir;

    private static BindConfig bind(Path... crts) {
        return new BindConfig("127.0.0.1", 0, null, 0, new TlsConfig(List.of(crts), TlsVersion.TLS_1_2,
                TlsVersion.TLS_1_3), WHERE);
    }

    private static String error(Path... crts) {
        return assertThrows(CertificateLoadException.class, () -> ServerTls.load(bind(crts))).getMessage();
    }

    private static ServerCertificate only(Path crt) throws Exception {
        List<ServerCertificate> all = ServerTls.load(bind(crt)).certificates();
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }

    private Path file(String name, String text) {
        return TestCertificates.write(dir.resolve(name), text);
    }

    @Test
    void rsaKeyInPkcs1AndPkcs8FormsLoads() throws Exception {
        for (KeyFormat format : List.of(KeyFormat.PKCS1, KeyFormat.PKCS8)) {
            ServerCertificate c = only(RSA.writePem(dir.resolve(format + ".pem"), format));
            assertEquals(List.of(RSA.certificate()), c.chain());
            assertEquals("RSA", c.key().getAlgorithm());
            assertEquals(List.of("rsa.example.com", "www.example.com"), c.hostNames(), "SANs, not the CN");
        }
    }

    @Test
    void ecKeyInSec1AndPkcs8FormsLoads() throws Exception {
        for (KeyFormat format : List.of(KeyFormat.SEC1, KeyFormat.PKCS8)) {
            ServerCertificate c = only(EC.writePem(dir.resolve(format + ".pem"), format));
            assertEquals(List.of(EC.certificate()), c.chain());
            assertEquals("EC", c.key().getAlgorithm());
            assertEquals(List.of("ec.example.com"), c.hostNames(), "no SAN: the subject CN");
        }
    }

    @Test
    void anEcKeyWithoutItsOptionalPublicKeyLoads() throws Exception {
        ECPrivateKey key = (ECPrivateKey) EC.keys().getPrivate();
        ASN1Encodable curve = PrivateKeyInfo.getInstance(key.getEncoded()).getPrivateKeyAlgorithm().getParameters();
        byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, key.getS(), curve).getEncoded();
        Path pem = file("bare-ec.pem", EC.certificatePem() + block("EC PRIVATE KEY", sec1));
        assertEquals(key.getS(), ((ECPrivateKey) only(pem).key()).getS());
    }

    @Test
    void theKeyMayComeBeforeTheCertificate() throws Exception {
        Path pem = file("key-first.pem", RSA.keyPem(KeyFormat.PKCS1) + RSA.certificatePem());
        assertEquals(RSA.certificate(), only(pem).leaf());
    }

    @Test
    void aChainKeepsItsOrderLeafFirst() throws Exception {
        Path pem = file("chain.pem", LEAF.certificatePem() + LEAF.keyPem(KeyFormat.PKCS8) + CA.certificatePem());
        ServerCertificate c = only(pem);
        assertEquals(List.of(LEAF.certificate(), CA.certificate()), c.chain());
        assertEquals(List.of("leaf.example.com"), c.hostNames());
    }

    @Test
    void aPemWithoutKeyTakesItFromTheKeyFileBesideIt() throws Exception {
        Path pem = EC.writePemWithKeyBeside(dir.resolve("site.pem"), KeyFormat.SEC1);
        assertTrue(Files.exists(dir.resolve("site.pem.key")));
        // The same private value; encodings differ (SEC1 carries the curve inside, PKCS#8 outside).
        assertEquals(((ECPrivateKey) EC.keys().getPrivate()).getS(), ((ECPrivateKey) only(pem).key()).getS());
    }

    @Test
    void blocksOtherThanCertificatesAndKeysAreSkipped() throws Exception {
        Path pem = file("with-params.pem", RSA.certificatePem() + block("DH PARAMETERS", new byte[] {48, 3, 2, 1, 5})
                + RSA.keyPem(KeyFormat.PKCS1) + block("X9.42 DH PARAMETERS", new byte[] {48, 0}));
        assertEquals(RSA.certificate(), only(pem).leaf());
    }

    @Test
    void aDirectoryLoadsItsFilesAlphabeticallyWithoutKeyOcspIssuerAndSctlFiles() throws Exception {
        Path certs = Files.createDirectory(dir.resolve("certs"));
        EC.writePem(certs.resolve("b-ec.pem"), KeyFormat.SEC1);
        RSA.writePemWithKeyBeside(certs.resolve("a-rsa.pem"), KeyFormat.PKCS8);
        LEAF.writePem(certs.resolve("c-leaf"), KeyFormat.PKCS1);
        for (String companion : List.of("a-rsa.pem.ocsp", "a-rsa.pem.issuer", "a-rsa.pem.sctl")) {
            TestCertificates.write(certs.resolve(companion), "not a certificate");
        }
        Files.createDirectory(certs.resolve("old"));
        List<ServerCertificate> all = ServerTls.load(bind(certs)).certificates();
        assertEquals(List.of(certs.resolve("a-rsa.pem"), certs.resolve("b-ec.pem"), certs.resolve("c-leaf")),
                all.stream().map(ServerCertificate::file).toList());
        assertEquals(List.of(RSA.certificate(), EC.certificate(), LEAF.certificate()),
                all.stream().map(ServerCertificate::leaf).toList());
    }

    @Test
    void severalCrtKeepTheirOrder() throws Exception {
        Path ec = EC.writePem(dir.resolve("z-ec.pem"), KeyFormat.PKCS8);
        Path rsa = RSA.writePem(dir.resolve("a-rsa.pem"), KeyFormat.PKCS8);
        assertEquals(List.of(ec, rsa), ServerTls.load(bind(ec, rsa)).certificates().stream()
                .map(ServerCertificate::file).toList());
    }

    @Test
    void aMissingFileIsNamedWithTheBindLine() {
        Path missing = dir.resolve("missing.pem");
        assertEquals("test.cfg:3: cannot load certificate '" + missing + "': no such file", error(missing));
    }

    @Test
    void anUnreadableFileIsSaidToBeSo() {
        // Root (the tests run as root) reads any file, so the refusal is fed to the wording directly.
        Path pem = dir.resolve("secret.pem");
        assertEquals("permission denied", PemCertificateReader.describe(new java.nio.file.AccessDeniedException(pem.toString())));
        assertEquals("no such file", PemCertificateReader.describe(new java.nio.file.NoSuchFileException(pem.toString())));
        assertEquals("cannot read it: Input/output error",
                PemCertificateReader.describe(new java.io.IOException("Input/output error")));
    }

    @Test
    void aFileThatIsNotPemIsRefused() throws Exception {
        Path text = file("notes.txt", "hello\n");
        assertEquals("test.cfg:3: cannot load certificate '" + text + "': not a PEM file (no '-----BEGIN' block in it)",
                error(text));
        Path der = Files.write(dir.resolve("cert.der"), RSA.certificate().getEncoded());
        assertEquals("test.cfg:3: cannot load certificate '" + der + "': not a PEM file (no '-----BEGIN' block in it)",
                error(der));
    }

    @Test
    void aPemWithoutCertificateIsRefused() {
        Path keyOnly = file("key.pem", RSA.keyPem(KeyFormat.PKCS8));
        assertEquals("test.cfg:3: cannot load certificate '" + keyOnly + "': no certificate in it", error(keyOnly));
    }

    @Test
    void malformedPemIsRefused() {
        Path bad = file("bad.pem", "-----BEGIN CERTIFICATE-----\n!!!! not base64 !!!!\n-----END CERTIFICATE-----\n");
        String e = error(bad);
        assertTrue(e.startsWith("test.cfg:3: cannot load certificate '" + bad + "': malformed PEM: "), e);
    }

    @Test
    void aCertificateWithoutKeyNamesTheKeyFileItLookedFor() {
        Path pem = file("nokey.pem", RSA.certificatePem());
        assertEquals("test.cfg:3: cannot load certificate '" + pem + "': no private key in it, nor in '" + pem
                + ".key'", error(pem));
        Path keyFile = file("nokey.pem.key", RSA.certificatePem());
        assertEquals("test.cfg:3: cannot load certificate '" + keyFile + "': no private key in it", error(pem));
    }

    @Test
    void encryptedKeysAreRefusedWithTheReason() throws Exception {
        StringWriter legacy = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(legacy)) {
            w.writeObject(RSA.keys().getPrivate(), new JcePEMEncryptorBuilder("AES-128-CBC")
                    .setProvider(new BouncyCastleProvider()).build("pw".toCharArray()));
        }
        PemObject pkcs8 = new JcaPKCS8Generator(RSA.keys().getPrivate(),
                new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC).setProvider(new BouncyCastleProvider())
                        .setPassword("pw".toCharArray()).build())
                .generate();
        assertEquals("ENCRYPTED PRIVATE KEY", pkcs8.getType());
        for (String key : List.of(legacy.toString(), block(pkcs8.getType(), pkcs8.getContent()))) {
            assertTrue(key.contains("ENCRYPTED"), key);
            Path pem = file("encrypted.pem", RSA.certificatePem() + key);
            assertEquals("test.cfg:3: cannot load certificate '" + pem + "': its private key is encrypted, which"
                    + " rtmp-router does not support: store the key unencrypted, readable only by the router", error(pem));
        }
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() {
        Credential other = TestCertificates.rsa("other.example.com");
        Path pem = file("mismatch.pem", RSA.certificatePem() + other.keyPem(KeyFormat.PKCS1));
        assertEquals("test.cfg:3: cannot load certificate '" + pem + "': its private key does not match the"
                + " certificate's public key", error(pem));
        Path ecKey = file("mismatch-type.pem", RSA.certificatePem() + EC.keyPem(KeyFormat.SEC1));
        assertEquals("test.cfg:3: cannot load certificate '" + ecKey + "': its private key does not match the"
                + " certificate's public key", error(ecKey));
        Path otherEc = file("mismatch-ec.pem", EC.certificatePem() + TestCertificates.ec("x").keyPem(KeyFormat.SEC1));
        assertEquals("test.cfg:3: cannot load certificate '" + otherEc + "': its private key does not match the"
                + " certificate's public key", error(otherEc));
        Path beside = file("beside.pem", RSA.certificatePem());
        file("beside.pem.key", other.keyPem(KeyFormat.PKCS8));
        assertEquals("test.cfg:3: cannot load certificate '" + beside + "': the private key in '" + beside
                + ".key' does not match the certificate's public key", error(beside));
    }

    @Test
    void twoKeysInOneFileAreRefused() {
        Path pem = file("two-keys.pem", RSA.certificatePem() + RSA.keyPem(KeyFormat.PKCS1) + EC.keyPem(KeyFormat.SEC1));
        assertEquals("test.cfg:3: cannot load certificate '" + pem + "': 2 private keys in it; a certificate takes"
                + " exactly one", error(pem));
    }

    @Test
    void anEmptyDirectoryIsRefusedAndSoIsOneWithOnlyCompanionFiles() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertEquals("test.cfg:3: cannot load certificate '" + empty + "': the directory holds no certificate file",
                error(empty));
        TestCertificates.write(empty.resolve("site.pem.key"), RSA.keyPem(KeyFormat.PKCS1));
        TestCertificates.write(empty.resolve("site.pem.ocsp"), "");
        assertEquals("test.cfg:3: cannot load certificate '" + empty + "': the directory holds no certificate file",
                error(empty));
    }

    @Test
    void aBadFileInADirectoryIsNamedItself() throws Exception {
        Path certs = Files.createDirectory(dir.resolve("certs"));
        RSA.writePem(certs.resolve("a.pem"), KeyFormat.PKCS1);
        Path bad = TestCertificates.write(certs.resolve("b.pem"), RSA.certificatePem());
        assertEquals("test.cfg:3: cannot load certificate '" + bad + "': no private key in it, nor in '" + bad
                + ".key'", error(certs));
    }

    private static String block(String type, byte[] content) {
        StringWriter out = new StringWriter();
        try (PemWriter w = new PemWriter(out)) {
            w.writeObject(new PemObject(type, content));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString();
    }
}
