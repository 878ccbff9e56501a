package io.fnwatch.notify;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signing as the Standard Webhooks specification describes: the signed content is
 * {@code webhook-id + "." + webhook-timestamp + "." + body}, signed with HMAC-SHA256 under the secret's
 * base64-decoded bytes ({@code whsec_<base64>}), and sent as {@code v1,<base64 signature>}; with two secrets
 * (rotation) the header carries both signatures separated by a space, so a receiver that knows either accepts.
 */
public final class StandardWebhooks {

    public static final String PREFIX = "whsec_";
    /** The specification asks for secrets of 24 to 64 random bytes. */
    static final int MIN_BYTES = 24;

    static final int MAX_BYTES = 64;

    private StandardWebhooks() {}

    /** The key bytes of {@code whsec_<base64>}; throws IllegalArgumentException naming the rule otherwise. */
    public static byte[] key(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a signing secret is whsec_ followed by base64");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a signing secret is whsec_ followed by base64 (not valid base64)");
        }
        if (key.length < MIN_BYTES || key.length > MAX_BYTES) {
            throw new IllegalArgumentException(
                    "a signing secret holds " + MIN_BYTES + " to " + MAX_BYTES + " bytes, not " + key.length);
        }
        return key;
    }

    /** {@code v1,<sig>} for each key, space separated, in the order given. */
    public static String signature(List<byte[]> keys, String id, long timestampSeconds, byte[] body) {
        StringBuilder header = new StringBuilder();
        for (byte[] key : keys) {
            if (header.length() > 0) {
                header.append(' ');
            }
            header.append("v1,").append(sign(key, id, timestampSeconds, body));
        }
        return header.toString();
    }

    static String sign(byte[] key, String id, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
