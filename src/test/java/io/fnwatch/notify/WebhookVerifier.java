package io.fnwatch.notify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The receiver's side of the Standard Webhooks check, written from the specification apart from fnwatch's
 * signer: all three headers present, the timestamp within 5 minutes of the receiver's clock, and one of the
 * space-separated {@code v1,<base64>} signatures equal (constant time) to HMAC-SHA256 over
 * {@code id.timestamp.body} keyed with the base64-decoded part of {@code whsec_...}.
 */
final class WebhookVerifier {

    private static final long TOLERANCE_SECONDS = 300;

    private WebhookVerifier() {}

    static boolean verify(String secret, Map<String, String> headers, String body, long nowSeconds) {
        String id = headers.get("webhook-id");
        String ts = headers.get("webhook-timestamp");
        String sigs = headers.get("webhook-signature");
        if (id == null || ts == null || sigs == null) {
            return false;
        }
        long t;
        try {
            t = Long.parseLong(ts);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(nowSeconds - t) > TOLERANCE_SECONDS) {
            return false;
        }
        try {
            byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] expected = mac.doFinal((id + "." + ts + "." + body).getBytes(StandardCharsets.UTF_8));
            for (String part : sigs.split(" ")) {
                int comma = part.indexOf(',');
                if (comma < 0 || !part.substring(0, comma).equals("v1")) {
                    continue;
                }
                byte[] given = Base64.getDecoder().decode(part.substring(comma + 1));
                if (MessageDigest.isEqual(expected, given)) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }
}
