package io.fnwatch.bench.masking;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Log messages that mention keys, tokens, passwords, secrets, API keys and credentials by name only, and
 * identifiers that look random but are no secret. Masking any of them is a false positive. Lines are composed
 * from vocabularies (secret names in every naming convention, separators, quotes, values that are no secret,
 * ARNs of many services, secret-store names, IAM actions, URLs, digests, ids, prose), so the generator covers
 * combinations nobody wrote down one by one; seeded, the same seed gives the same lines. Each line carries its
 * category, so a false positive points at a class.
 */
public final class BenignLines {

    /** One generated line and the class it belongs to. */
    public record Line(String category, String text) {}

    private static final List<String> SECRET_NAMES = List.of(
            "password",
            "PASSWORD",
            "db_password",
            "DB_PASSWORD",
            "dbPassword",
            "db-password",
            "spring.datasource.password",
            "passwd",
            "passphrase",
            "secret",
            "client_secret",
            "clientSecret",
            "SECRET_KEY",
            "webhookSecret",
            "token",
            "apiToken",
            "api_token",
            "accessToken",
            "access_token",
            "refresh_token",
            "AUTH_TOKEN",
            "sessionToken",
            "apiKey",
            "api_key",
            "API_KEY",
            "x-api-key",
            "X-Api-Key",
            "accessKey",
            "private_key",
            "privateKey",
            "signingKey",
            "encryption-key",
            "credentials",
            "credential",
            "Authorization",
            "authorization");

    private static final List<String> SEPARATORS = List.of("=", ": ", " = ", ":", " => ", ":=", "\t=\t");

    private static final List<String> SUBJECTS = List.of(
            "the api key",
            "API key",
            "the access token",
            "refresh token",
            "session token",
            "the DB password",
            "password",
            "client secret",
            "webhook secret",
            "credentials",
            "the signing key",
            "private key",
            "Authorization header",
            "x-api-key header",
            "bearer token",
            "secret",
            "passphrase",
            "KMS key",
            "access key");

    private static final List<String> PREDICATES = List.of(
            "expired",
            "is missing",
            "not found",
            "was rotated",
            "rotation scheduled",
            "validated",
            "is invalid",
            "will expire in %d s",
            "cached for %d s",
            "refreshed after %d ms",
            "loaded from Secrets Manager",
            "fetched from SSM",
            "must not be empty",
            "has %d characters (minimum 12)",
            "does not match",
            "revoked by admin",
            "length must be at least %d",
            "lookup took %d ms");

    private static final List<String> SERVICES_AND_RESOURCES = List.of(
            "secretsmanager|secret:%s/%s-%s",
            "ssm|parameter/%s/%s",
            "kms|key/%u",
            "kms|alias/%s-%s",
            "iam|role/%s-%s",
            "iam|user/%s-%s",
            "iam|policy/%s-%s-access",
            "lambda|function:%s-%s",
            "lambda|function:%s-%s:live",
            "sts|assumed-role/%s-%s/session-%d",
            "s3|%s-%s-bucket/keys/%s.json",
            "dynamodb|table/%s-%s",
            "sqs|%s-%s-queue",
            "sns|%s-%s",
            "execute-api|%r/prod/GET/%s",
            "apigateway|/apikeys/%r",
            "cognito-idp|userpool/us-east-1_%r",
            "events|rule/%s-%s",
            "logs|log-group:/aws/lambda/%s-%s:*");

    private static final List<String> WORDS = List.of(
            "prod",
            "staging",
            "orders",
            "payments",
            "partner",
            "api-key",
            "db-password",
            "token",
            "secret",
            "password",
            "credentials",
            "auth-token",
            "signing-key",
            "client-secret",
            "rotate-secret",
            "token-refresher",
            "secret-reader",
            "api-token-issuer",
            "stripe-secret-key",
            "access-key-rotator");

    private static final List<String> IAM_ACTIONS = List.of(
            "secretsmanager:GetSecretValue",
            "secretsmanager:PutSecretValue",
            "secretsmanager:DescribeSecret",
            "secretsmanager:RotateSecret",
            "ssm:GetParameter",
            "ssm:GetParametersByPath",
            "kms:Decrypt",
            "kms:GenerateDataKey",
            "sts:GetSessionToken",
            "sts:AssumeRole",
            "iam:CreateAccessKey",
            "iam:UpdateAccessKey",
            "cognito-idp:RevokeToken",
            "cognito-idp:InitiateAuth",
            "apigateway:GET");

    private final Randoms r;
    private final List<Map.Entry<String, Function<Randoms, String>>> categories = List.of(
            Map.entry("sentence", this::sentence),
            Map.entry("arn", this::arn),
            Map.entry("secret-store-name", this::storeName),
            Map.entry("iam-action", this::iamAction),
            Map.entry("config-no-value", this::configNoValue),
            Map.entry("config-reference", this::configReference),
            Map.entry("config-number", this::configNumber),
            Map.entry("name-as-value", this::nameAsValue),
            Map.entry("header-name", this::headerName),
            Map.entry("url", this::url),
            Map.entry("id-or-digest", this::idOrDigest),
            Map.entry("base64-text", this::base64Text),
            Map.entry("platform-line", this::platformLine),
            Map.entry("stack-trace", this::stackTrace),
            Map.entry("query-string", this::queryString),
            Map.entry("object-dump", this::objectDump),
            Map.entry("escaped-json", this::escapedJson),
            Map.entry("code-name", this::codeName));

    public BenignLines(long seed) {
        this.r = new Randoms(seed ^ 0x5EED);
    }

    /** {@code n} lines, the categories in turn. */
    public List<Line> generate(int n) {
        List<Line> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            var c = categories.get(i % categories.size());
            out.add(new Line(c.getKey(), c.getValue().apply(r)));
        }
        return out;
    }

    private static String fill(Randoms r, String template) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '%' && i + 1 < template.length()) {
                char k = template.charAt(++i);
                sb.append(
                        switch (k) {
                            case 's' -> r.pick(WORDS);
                            case 'd' -> r.digits(r.between(1, 4));
                            case 'u' -> r.uuid();
                            case 'r' -> r.alnum(10).toLowerCase(java.util.Locale.ROOT);
                            default -> "%" + k;
                        });
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private String sentence(Randoms r) {
        String p = r.pick(PREDICATES).replace("%d", r.digits(r.between(1, 4)));
        String s = r.pick(SUBJECTS) + " " + p;
        return r.pick(List.of(
                s,
                s + " for user " + r.digits(4),
                "WARN " + s + " (tenant " + r.digits(3) + ")",
                "ERROR " + s + "; retrying",
                "{\"level\":\"warn\",\"msg\":\"" + s + "\"}",
                "Unauthorized: " + s,
                "missing " + r.pick(SECRET_NAMES) + " parameter",
                "no " + r.pick(SECRET_NAMES) + " in request, using default provider chain"));
    }

    private String arnString(Randoms r) {
        String[] sr = r.pick(SERVICES_AND_RESOURCES).split("\\|");
        String partition = r.pick(List.of("aws", "aws", "aws", "aws-cn", "aws-us-gov"));
        String region = sr[0].equals("iam") || sr[0].equals("sts") || sr[0].equals("s3")
                ? ""
                : r.pick(List.of("us-east-1", "eu-west-2", "ap-southeast-2", "cn-north-1"));
        String account = sr[0].equals("s3") ? "" : r.digits(12);
        String resource = fill(r, sr[1]);
        if (sr[0].equals("secretsmanager")) {
            resource += "-" + r.alnum(6);
        }
        return "arn:" + partition + ":" + sr[0] + ":" + region + ":" + account + ":" + resource;
    }

    private String arn(Randoms r) {
        String a = arnString(r);
        return r.pick(List.of(
                a,
                "loaded " + a,
                "(" + a + ")",
                "[" + a + "]",
                "resource=" + a,
                "resource:" + a,
                "Resource: " + a,
                "{\"Resource\":\"" + a + "\"}",
                "{\"SecretId\":\"" + a + "\",\"VersionStage\":\"AWSCURRENT\"}",
                "{\"Resource\":[\"" + a + "\",\"" + arnString(r) + "\"]}",
                "secret: " + a,
                "<" + a + ">",
                "User: arn:aws:sts::" + r.digits(12) + ":assumed-role/" + fill(r, "%s-%s") + "/" + fill(r, "%s")
                        + " is not authorized to perform: " + r.pick(IAM_ACTIONS) + " on resource: " + a
                        + " because no identity-based policy allows the action",
                "AccessDeniedException: " + a + " is not accessible"));
    }

    private String storeName(Randoms r) {
        String name = r.pick(List.of(
                "/" + fill(r, "%s/%s") + "/" + r.pick(List.of("password", "api-key", "token", "client-secret")),
                "/prod/db/password",
                "projects/acme-" + r.digits(3) + "/secrets/" + fill(r, "%s") + "/versions/" + r.digits(1),
                "projects/acme/secrets/db-password/versions/latest",
                fill(r, "%s/%s")));
        return r.pick(List.of(
                "SSM parameter " + name + " not found",
                "{\"Name\":\"" + name + "\",\"WithDecryption\":true}",
                "ParameterNotFound: " + name,
                "reading secret " + name,
                "name=" + name + " version=" + r.digits(1),
                "Secret Manager access denied on " + name,
                "GetParameter Name=" + name + " took " + r.digits(2) + " ms"));
    }

    private String iamAction(Randoms r) {
        String a = r.pick(IAM_ACTIONS);
        String service = a.substring(0, a.indexOf(':'));
        String event = a.substring(a.indexOf(':') + 1);
        return r.pick(List.of(
                "\"Action\": \"" + a + "\"",
                "\"Action\": [\"" + a + "\", \"" + r.pick(IAM_ACTIONS) + "\"]",
                "not authorized to perform: " + a,
                "eventName=" + event + " eventSource=" + service + ".amazonaws.com",
                "{\"eventName\":\"" + event + "\",\"eventSource\":\"" + service + ".amazonaws.com\"}",
                "calling " + event + " (" + a + ")",
                "Allow " + a + " on *"));
    }

    private static String quoted(Randoms r, String name, String sep, String value) {
        return r.pick(List.of(
                name + sep + value,
                "\"" + name + "\"" + sep.trim() + " \"" + value + "\"",
                name + sep + "'" + value + "'",
                "{\"" + name + "\":\"" + value + "\",\"user\":\"u" + r.digits(3) + "\"}"));
    }

    private String configNoValue(Randoms r) {
        String value = r.pick(List.of(
                "",
                "null",
                "None",
                "nil",
                "undefined",
                "true",
                "false",
                "***",
                "********",
                "xxxx",
                "XXXXXXXX",
                "...",
                "<redacted>",
                "[REDACTED]",
                "***REDACTED***",
                "[hidden]",
                "<your-api-key>",
                "<PASSWORD>",
                "%s",
                "not set",
                "required",
                "missing"));
        String line = quoted(r, r.pick(SECRET_NAMES), r.pick(SEPARATORS), value);
        return r.pick(List.of(line, "config: " + line, line + " (from env)"));
    }

    private String configReference(Randoms r) {
        String env = r.pick(List.of("DB_PASSWORD", "API_KEY", "STRIPE_SECRET_KEY", "AUTH_TOKEN", "CLIENT_SECRET"));
        String value = r.pick(List.of(
                "${" + env + "}",
                "${env:" + env + "}",
                "${ssm:/prod/db/password}",
                "{{ secrets." + env + " }}",
                "{{resolve:secretsmanager:prod/db:SecretString:password}}",
                "process.env." + env,
                "os.environ['" + env + "']",
                "os.getenv(\"" + env + "\")",
                "System.getenv(\"" + env + "\")",
                "$" + env,
                "%(" + env.toLowerCase(java.util.Locale.ROOT) + ")s",
                "ssm:/prod/" + fill(r, "%s") + "/password",
                "secretsmanager:prod/" + fill(r, "%s"),
                "vault:secret/data/prod#password",
                "@Microsoft.KeyVault(SecretUri=https://acme.vault.azure.net/secrets/db-password/)",
                ":password",
                "?"));
        return quoted(r, r.pick(SECRET_NAMES), r.pick(SEPARATORS), value);
    }

    private String configNumber(Randoms r) {
        String name = r.pick(SECRET_NAMES.stream()
                .filter(n -> !n.toLowerCase(java.util.Locale.ROOT).contains("pass"))
                .toList());
        String value = r.pick(List.of(
                r.digits(r.between(1, 5)), "0", "-1", r.digits(2) + "." + r.digits(1), r.digits(4) + "s", "30m"));
        return r.pick(List.of(
                name + r.pick(SEPARATORS) + value,
                "\"" + name + "\": " + value,
                name + "_ttl=" + value,
                "max_tokens=" + value + " " + name + "_count=" + r.digits(2),
                "password_reset_token_expiry=" + value,
                "tokenExpiresIn: " + value));
    }

    private String nameAsValue(Randoms r) {
        String value = r.pick(List.of(
                "DB_PASSWORD",
                "API_KEY",
                "x-api-key",
                "api_key",
                "/prod/db/password",
                "password_confirm",
                "client_secret",
                "spring.datasource.password",
                "secrets.api_token"));
        String name = r.pick(
                List.of("password_field", "tokenHeader", "secretName", "secret_ref", "apiKeyHeader", "passwordKey"));
        String secretName = r.pick(SECRET_NAMES);
        return r.pick(List.of(
                name + "=" + value,
                "\"" + name + "\": \"" + value + "\"",
                secretName + r.pick(SEPARATORS) + value,
                "{\"" + secretName + "\":\"" + value + "\"}"));
    }

    private String headerName(Randoms r) {
        return r.pick(List.of(
                "x-api-key: header missing",
                "Access-Control-Allow-Headers: Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token",
                "request headers: [content-type, x-api-key, authorization]",
                "expected header 'Authorization: Bearer <token>'",
                "Authorization: Bearer <jwt>",
                "missing Authorization header on " + r.pick(List.of("GET", "POST")) + " /v1/orders/" + r.digits(5),
                "header x-api-key is required",
                "Vary: Origin, Authorization",
                "usage plan requires an API key (x-api-key)",
                "{\"headers\":{\"x-api-key\":\"[present]\",\"content-type\":\"application/json\"}}"));
    }

    private String url(Randoms r) {
        String host = r.pick(
                List.of("api.example.com", "auth.acme.io", "login.microsoftonline.com", "oauth2.googleapis.com"));
        return r.pick(List.of(
                "GET https://" + host + "/v1/tokens/refresh 200",
                "POST https://" + host + ":8443/oauth2/token 401",
                "redirect to https://" + host + "/login?next=%2Fsettings%2Fapi-keys",
                "connecting to postgres://db-" + r.digits(2) + ".internal:5432/orders as app",
                "redis://cache-" + r.digits(1) + ":6379/0 connected",
                "fetching https://" + host + "/.well-known/jwks.json",
                "ssh://git@github.com/acme/secrets-rotation.git",
                "https://" + host + "/v2/api-keys/" + r.uuid() + "?include=usage",
                "s3://acme-secrets-" + r.digits(3) + "/exports/" + r.uuid() + ".json",
                "GET https://" + host + "/users?email=user" + r.digits(3) + "@example.com 200"));
    }

    private String idOrDigest(Randoms r) {
        return r.pick(List.of(
                "requestId=" + r.uuid(),
                "x-amzn-RequestId: " + r.uuid() + " x-amzn-trace-id: Root=1-" + r.hex(8) + "-" + r.hex(24),
                "traceparent: 00-" + r.hex(32) + "-" + r.hex(16) + "-01",
                "deployed commit " + r.hex(40) + " to prod",
                "image sha256:" + r.hex(64) + " pulled",
                "etag=\"" + r.hex(32) + "\" size=" + r.digits(5),
                "md5=" + r.hex(32) + " sha1=" + r.hex(40),
                "keyId=" + r.uuid() + " (alias/orders-key)",
                "{\"KeyId\":\"arn:aws:kms:us-east-1:" + r.digits(12) + ":key/" + r.uuid() + "\"}",
                "S3 key orders/2026/03/" + r.uuid() + ".json written",
                "{\"partitionKey\":\"p-" + r.digits(2) + "\",\"idempotencyKey\":\"" + r.uuid() + "\"}",
                "NextToken=" + r.alnum(40) + " listing functions",
                "pageToken=" + r.alnum(32),
                "api_key_id=" + r.uuid() + " tokenCount=" + r.digits(3),
                "session " + r.uuid() + " started",
                "correlation-id: " + r.uuid(),
                "execution_id=" + r.alnum(12).toLowerCase(java.util.Locale.ROOT)));
    }

    private String base64Text(Randoms r) {
        String text = r.pick(List.of(
                "order " + r.digits(6) + " shipped to warehouse " + r.digits(2),
                "{\"page\":" + r.digits(2) + ",\"sort\":\"created_at\"}",
                "user " + r.digits(4) + " logged in",
                "the quick brown fox jumps over the lazy dog",
                "{\"event\":\"invoice.paid\",\"amount\":" + r.digits(4) + "}"));
        String b = r.base64Of(text);
        return r.pick(List.of(
                "payload " + b,
                "cursor=" + b + " next page",
                "{\"data\":\"" + b + "\"}",
                "message body (base64): " + b));
    }

    private String platformLine(Randoms r) {
        return r.pick(List.of(
                "START RequestId: " + r.uuid() + " Version: $LATEST",
                "REPORT RequestId: " + r.uuid() + "\tDuration: " + r.digits(3) + ".12 ms\tBilled Duration: "
                        + r.digits(3) + " ms\tMemory Size: 512 MB\tMax Memory Used: 87 MB",
                "Executing 'Functions.RotateSecret' (Reason='Timer fired', Id=" + r.uuid() + ")",
                "Function execution took " + r.digits(3) + " ms, finished with status: 'ok'",
                "PWD=/var/task LAMBDA_TASK_ROOT=/var/task AWS_REGION=us-east-1",
                "Init Duration: " + r.digits(3) + ".45 ms",
                "credentials provider chain: env, profile, container, instance",
                "Found credentials in environment variables.",
                "-----BEGIN CERTIFICATE----- chain loaded (3 certificates)",
                "-----BEGIN PUBLIC KEY----- parsed (RSA 2048)"));
    }

    private String stackTrace(Randoms r) {
        return r.pick(List.of(
                "KeyError: 'api_key'",
                "  File \"/var/task/auth/token.py\", line " + r.digits(2) + ", in refresh_token",
                "\tat com.acme.auth.TokenValidator.validate(TokenValidator.java:" + r.digits(2) + ")",
                "\tat com.acme.secrets.SecretCache.get(SecretCache.java:" + r.digits(3) + ")",
                "botocore.exceptions.ClientError: An error occurred (ResourceNotFoundException) when calling the"
                        + " GetSecretValue operation: Secrets Manager can't find the specified secret.",
                "TypeError: Cannot read properties of undefined (reading 'accessToken')",
                "    at getApiKey (/var/task/index.js:" + r.digits(2) + ":" + r.digits(2) + ")",
                "jwt.exceptions.ExpiredSignatureError: Signature has expired",
                "System.Security.Cryptography.CryptographicException: Keyset does not exist"));
    }

    private String queryString(Randoms r) {
        return r.pick(List.of(
                "GET /oauth2/authorize?response_type=token&client_id=" + r.uuid() + "&scope=openid",
                "POST /oauth2/token grant_type=refresh_token&client_id=app-" + r.digits(3),
                "grant_type=client_credentials&scope=orders%3Aread",
                "GET /v1/orders?api_key=&page=" + r.digits(1),
                "GET /v1/search?q=password+reset&lang=en",
                "token_type=Bearer&expires_in=" + r.digits(4) + "&scope=orders",
                "/callback?state=" + r.hex(16) + "&error=access_denied&error_description=token+expired",
                "subject_token_type=urn:ietf:params:oauth:token-type:access_token",
                "token_endpoint_auth_method=client_secret_basic"));
    }

    private String objectDump(Randoms r) {
        String nothing = r.pick(List.of("null", "None", "<nil>", "nil", "undefined", "''", "\"\""));
        return r.pick(List.of(
                "Credentials[accessKey=" + nothing + ", secretKey=" + nothing + ", region=us-east-1]",
                "User{id=" + r.digits(4) + ", name='u" + r.digits(3) + "', password=" + nothing + "}",
                "{'password': None, 'username': 'u" + r.digits(3) + "'}",
                "config={token:" + nothing + " retries:" + r.digits(1) + "}",
                "Authorization: Bearer undefined",
                "Authorization: Bearer null",
                "ClientConfig(apiKey=" + nothing + ", timeout=" + r.digits(2) + "s)",
                "password: \"\"",
                "env AWS_SESSION_TOKEN= AWS_REGION=us-east-1"));
    }

    private String escapedJson(Randoms r) {
        String inner = r.pick(List.of(
                "{\"secretId\":\"" + arnString(r) + "\"}",
                "{\"password\":null,\"user\":\"u" + r.digits(3) + "\"}",
                "{\"apiKey\":\"${API_KEY}\"}",
                "{\"tokenExpiresIn\":" + r.digits(4) + "}",
                "{\"Action\":\"" + r.pick(IAM_ACTIONS) + "\"}"));
        String once = inner.replace("\\", "\\\\").replace("\"", "\\\"");
        return r.pick(List.of("{\"body\":\"" + once + "\"}", "request body: \"" + once + "\"", "body=" + inner));
    }

    private static final List<String> CODE_WORDS = List.of(
            "Notification",
            "Service",
            "Handler",
            "Order",
            "Fulfillment",
            "Coordinator",
            "Process",
            "Incoming",
            "Messages",
            "Async",
            "Token",
            "Secret",
            "Rotation",
            "Invoke",
            "Execute",
            "Pipeline",
            "Batch",
            "Key",
            "Credentials",
            "Provider",
            "Factory",
            "Validator",
            "Manager",
            "Client");

    private static String pascal(Randoms r, int minLength) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < minLength) {
            sb.append(r.pick(CODE_WORDS));
        }
        return sb.toString();
    }

    /** Dotted names from stack traces and loggers, as long as the parts of some tokens are. */
    private String codeName(Randoms r) {
        String name = pascal(r, r.between(18, 27)) + "." + r.pick(List.of("Invoke", "handle", "Execute", "Run")) + "."
                + pascal(r, r.between(20, 36));
        return r.pick(List.of(
                "   at " + name + "(Handler.cs:line " + r.digits(2) + ")",
                "\tat com.acme." + name + "(" + r.pick(CODE_WORDS) + ".java:" + r.digits(2) + ")",
                "logger=" + name + " level=INFO",
                name));
    }
}
