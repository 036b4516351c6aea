package io.rtmprouter.tls;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Map;

/**
 * Whether a private key belongs to a certificate's public key. Comparing encodings would need a
 * rule per key type; signing a random message and verifying it works the same for RSA and EC.
 */
final class KeyMatch {
    /** The key types a bind may use, with a signature algorithm to test each. */
    static final Map<String, String> SIGNATURES = Map.of("RSA", "SHA256withRSA", "EC", "SHA256withECDSA");
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyMatch() {
    }

    static boolean isSupported(String keyAlgorithm) {
        return SIGNATURES.containsKey(keyAlgorithm);
    }

    static boolean matches(PrivateKey key, PublicKey certificateKey) {
        String algorithm = SIGNATURES.get(key.getAlgorithm());
        if (algorithm == null || !key.getAlgorithm().equals(certificateKey.getAlgorithm())) {
            return false;
        }
        byte[] message = new byte[32];
        RANDOM.nextBytes(message);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(message);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificateKey);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // A key the certificate's public key cannot even be checked against (other curve, say) is not its key.
            return false;
        }
    }
}
