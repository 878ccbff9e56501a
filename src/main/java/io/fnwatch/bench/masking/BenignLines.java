package io.fnwatch.bench.masking;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Log messages that name keys, tokens and passwords without holding one, and identifiers that look random
 * but are no secret: ARNs (of secrets too), UUIDs, request and trace ids, build hashes, base64 of ordinary
 * data. Masking any of them is a false positive.
 */
public final class BenignLines {

    private final Randoms r;
    private final List<Function<Randoms, String>> templates = List.of(
            r -> "token expired for user " + r.digits(4) + ", refreshing",
            r -> "password reset requested for user " + r.digits(2),
            r -> "missing api_key parameter",
            r -> "the token expired",
            r -> "invalid token signature for request " + r.uuid(),
            r -> "Authorization header missing on GET /v1/orders/" + r.digits(5),
            r -> "rotating api key for tenant " + r.digits(3) + " (keyId=k-" + r.digits(4) + ")",
            r -> "loaded secret arn:aws:secretsmanager:eu-west-2:" + r.digits(12) + ":secret:prod/partner-api-key-"
                    + r.alnum(6),
            r -> "GetSecretValue SecretId=arn:aws:secretsmanager:us-east-1:" + r.digits(12)
                    + ":secret:prod/db-password-" + r.alnum(6) + " succeeded",
            r -> "secret: arn:aws:secretsmanager:us-east-1:" + r.digits(12) + ":secret:orders/stripe-secret-key-"
                    + r.alnum(6),
            r -> "kms:Decrypt on arn:aws:kms:us-east-1:" + r.digits(12) + ":key/" + r.uuid() + " allowed",
            r -> "START RequestId: " + r.uuid() + " Version: $LATEST",
            r -> "REPORT RequestId: " + r.uuid() + "\tDuration: " + r.digits(3) + ".12 ms\tBilled Duration: "
                    + r.digits(3) + " ms\tMemory Size: 512 MB\tMax Memory Used: 87 MB",
            r -> "x-amzn-RequestId: " + r.uuid() + " x-amzn-trace-id: Root=1-" + r.hex(8) + "-" + r.hex(24),
            r -> "traceparent: 00-" + r.hex(32) + "-" + r.hex(16) + "-01",
            r -> "deployed build " + r.hex(40) + " to prod",
            r -> "image sha256:" + r.hex(64) + " pulled",
            r -> "etag=\"" + r.hex(32) + "\" size=" + r.digits(5),
            r -> "cursor=" + r.base64Of("{\"page\":" + r.digits(2) + ",\"sort\":\"created_at\"}") + " next page",
            r -> "payload " + r.base64Of("order " + r.digits(6) + " shipped to warehouse " + r.digits(2)),
            r -> "NextToken=" + r.alnum(40) + " listing functions",
            r -> "token_type=Bearer expires_in=3600 scope=\"orders:read\"",
            r -> "hasPassword=false passwordPolicy=strict password_length=12",
            r -> "{\"token\": null, \"apiKey\": \"\", \"password\": \"********\"}",
            r -> "S3 key orders/2026/03/" + r.uuid() + ".json written",
            r -> "{\"partitionKey\":\"p-" + r.digits(2) + "\",\"idempotencyKey\":\"" + r.uuid() + "\",\"sortKey\":\""
                    + r.digits(6) + "\"}",
            r -> "User: arn:aws:sts::" + r.digits(12) + ":assumed-role/orders-role/orders-api is not authorized to "
                    + "perform: secretsmanager:GetSecretValue on resource: prod/db-credentials",
            r -> "GET https://api.example.com:8443/v1/users?email=user" + r.digits(3) + "@example.com 200",
            r -> "connecting to postgres://db-" + r.digits(2) + ".internal:5432/orders as app",
            r -> "redirect to https://accounts.example.com/login?next=%2Fsettings%2Fkeys",
            r -> "session " + r.uuid() + " started for cognito:username=user" + r.digits(4),
            r -> "Function execution took " + r.digits(3) + " ms, finished with status: 'ok'",
            r -> "Executing 'Functions.ProcessOrder' (Reason='New queue message', Id=" + r.uuid() + ")",
            r -> "md5=" + r.hex(32) + " crc32c=" + r.alnum(8) + "==",
            r -> "PWD=/var/task LAMBDA_TASK_ROOT=/var/task AWS_REGION=us-east-1",
            r -> "credentials provider chain: env, profile, container, instance",
            r -> "apiKeyName=partner-" + r.digits(2) + " api_key_id=" + r.uuid() + " tokenCount=" + r.digits(3),
            r -> "AKIA-prefixed keys are rotated every 90 days; SK prefix means Twilio",
            r -> "order " + r.digits(6) + " total=42.50 currency=EUR customer=" + r.uuid(),
            r -> "-----BEGIN CERTIFICATE----- chain loaded (3 certificates)",
            r -> "jwt verification failed: token is expired",
            r -> "sk_live_ keys must never be logged; use restricted keys instead",
            r -> "Slack notification sent to #alerts via webhook",
            r -> "ghp_ tokens are personal access tokens; this run uses the GITHUB_TOKEN secret");

    public BenignLines(long seed) {
        this.r = new Randoms(seed ^ 0x5EED);
    }

    public List<String> generate(int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(templates.get(i % templates.size()).apply(r));
        }
        return out;
    }
}
