package io.fnwatch.ingest.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * Turns a PEM certificate chain and an unencrypted PKCS#8 PEM key into an in-memory key store for Jetty.
 * The JDK reads PEM certificates itself and PKCS#8 keys with a few lines, which is why this is not a
 * dependency on Bouncy Castle (8 MB); other key encodings get an error saying how to convert them.
 */
final class PemKeyStore {

    static final char[] PASSWORD = "in-memory".toCharArray();
    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";

    private PemKeyStore() {}

    static KeyStore load(Path certPem, Path keyPem) throws IOException, GeneralSecurityException {
        Certificate[] chain;
        try (InputStream in = Files.newInputStream(certPem)) {
            chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in)
                    .toArray(new Certificate[0]);
        }
        if (chain.length == 0) {
            throw new IOException(certPem + ": no PEM certificate found");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("fnwatch", privateKey(keyPem), PASSWORD, chain);
        return store;
    }

    private static PrivateKey privateKey(Path keyPem) throws IOException, GeneralSecurityException {
        String text = Files.readString(keyPem, StandardCharsets.US_ASCII);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IOException(keyPem + ": expected an unencrypted PKCS#8 key (" + BEGIN + "); convert with "
                    + "`openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pkcs8.pem`");
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + BEGIN.length(), end));
        GeneralSecurityException last = null;
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException(keyPem + ": not an RSA, EC or Ed25519 key", last);
    }
}
