package io.fnwatch.ingest.http;

import io.fnwatch.auth.TenantKey;
import io.fnwatch.parse.SourceHints;

/**
 * The region an ingest request vouches for, for payloads that name none (CloudWatch Logs subscription payloads
 * carry their owner account but no region). Firehose names the delivery stream in the {@code
 * X-Amz-Firehose-Source-Arn} header ({@code arn:aws:firehose:REGION:ACCOUNT:deliverystream/NAME}); a CloudWatch
 * Logs subscription delivers to a stream of its own region, so that is the log group's. Else the key's
 * {@code region} setting. A header without a valid region in it is ignored, never trusted nor refused: the
 * request is still the key's, and a region inside the payload wins over both.
 */
final class RequestHints {

    /** An ARN is at most a few hundred characters; a longer header is not read. */
    static final int MAX_ARN_CHARS = 2048;

    private RequestHints() {}

    static SourceHints of(String firehoseSourceArn, TenantKey key) {
        String region = firehoseSourceArn == null || firehoseSourceArn.length() > MAX_ARN_CHARS
                ? null
                : SourceHints.regionOfArn(firehoseSourceArn);
        if (region == null && key != null) {
            region = key.region();
        }
        return SourceHints.ofRegion(region);
    }
}
