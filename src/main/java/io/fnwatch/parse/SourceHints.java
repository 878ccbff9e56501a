package io.fnwatch.parse;

import java.util.regex.Pattern;

/**
 * What the source of a raw record knows about it that the record itself may not say: today the AWS region. A
 * CloudWatch Logs subscription payload names its owner account but no region, while the ingest request that
 * brought it does (the Firehose delivery stream's ARN, the ingest key's setting). fnwatch's own ingest writes the
 * hint with the raw record (Kafka header {@link #REGION_HEADER}) so that every later parse of the record gives the
 * same function key. A region the payload or an envelope names always wins over a hint; a hint is only read when
 * it has the shape of a region, so a hostile value is ignored, never trusted or thrown on.
 */
public record SourceHints(String region) {

    /** The raw record's header that carries the region hint (UTF-8). */
    public static final String REGION_HEADER = "fnwatch.region";

    public static final SourceHints NONE = new SourceHints(null);

    /**
     * The shape of every AWS region name: {@code eu-west-2}, {@code us-gov-west-1}, {@code cn-north-1},
     * {@code ap-southeast-5}, {@code us-iso-east-1}, {@code us-isob-east-1}, {@code eu-isoe-west-1}.
     */
    private static final Pattern AWS_REGION = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]{4,9}-[1-9][0-9]?");

    /** Longer than any region name; a longer value is refused before the pattern reads it. */
    static final int MAX_REGION_CHARS = 32;

    public SourceHints {
        region = awsRegion(region);
    }

    /** Hints naming {@code region}, or none when it is not a region name. */
    public static SourceHints ofRegion(String region) {
        String r = awsRegion(region);
        return r == null ? NONE : new SourceHints(r);
    }

    /** {@code s} when it is an AWS region name, else null. */
    public static String awsRegion(String s) {
        return s != null
                        && s.length() <= MAX_REGION_CHARS
                        && AWS_REGION.matcher(s).matches()
                ? s
                : null;
    }

    /** The region of an ARN ({@code arn:PARTITION:SERVICE:REGION:ACCOUNT:…}) when it names a valid one, else null. */
    public static String regionOfArn(String arn) {
        if (arn == null || !arn.startsWith("arn:")) {
            return null;
        }
        int partition = arn.indexOf(':', 4);
        int service = partition < 0 ? -1 : arn.indexOf(':', partition + 1);
        int region = service < 0 ? -1 : arn.indexOf(':', service + 1);
        return region < 0 ? null : awsRegion(arn.substring(service + 1, region));
    }

    /**
     * The region a record names itself when it names one (kept as written, as before hints existed), else the
     * region its source names ({@code fallback}, null when none): what the payload says wins over any hint.
     */
    static String named(String named, String fallback) {
        return named != null && !named.isEmpty() ? named : fallback;
    }
}
