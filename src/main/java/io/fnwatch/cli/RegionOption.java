package io.fnwatch.cli;

import io.fnwatch.config.ConfigErrors;
import io.fnwatch.parse.SourceHints;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --region} of the commands that read files: the AWS region of logs that name none (CloudWatch Logs
 * subscription payloads), as an ingest key's {@code region} or the Firehose source ARN gives it to HTTP ingest, so
 * that files of captured payloads key their functions as the live service did.
 */
final class RegionOption {

    @Option(
            names = "--region",
            paramLabel = "REGION",
            description = "AWS region of logs that name none (CloudWatch Logs subscription payloads); a region the "
                    + "logs name wins.")
    String region;

    /** The hints to parse with; a value that is not a region name is a usage error (exit 2). */
    SourceHints hints() {
        if (region == null) {
            return SourceHints.NONE;
        }
        if (SourceHints.awsRegion(region) == null) {
            throw new ConfigErrors(List.of("--region: not an AWS region name (such as eu-west-2): " + region));
        }
        return SourceHints.ofRegion(region);
    }
}
