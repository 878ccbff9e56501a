package io.fnwatch.parse;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class SourceHintsTest {

    @Example
    void shouldAcceptEveryShapeOfAwsRegionName() {
        for (String r : new String[] {
            "eu-west-2", "us-east-1", "us-gov-west-1", "cn-north-1", "cn-northwest-1", "ap-southeast-5",
            "ap-northeast-3", "il-central-1", "mx-central-1", "us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1"
        }) {
            assertThat(SourceHints.awsRegion(r)).as(r).isEqualTo(r);
            assertThat(SourceHints.ofRegion(r).region()).as(r).isEqualTo(r);
        }
    }

    @Example
    void shouldRefuseWhatIsNotARegion() {
        for (String r : new String[] {
            null,
            "",
            "-",
            "../",
            "EU-WEST-2",
            "eu-west",
            "eu-west-",
            "eu-west-0",
            "eu-west-123",
            " eu-west-2",
            "eu-west-2 ",
            "eu-west-2\n",
            "eu_west_2",
            "global",
            "aws-global",
            "eu-west-2/..",
            "e".repeat(10_000)
        }) {
            assertThat(SourceHints.awsRegion(r)).as(String.valueOf(r)).isNull();
            assertThat(SourceHints.ofRegion(r)).isEqualTo(SourceHints.NONE);
            assertThat(new SourceHints(r).region()).isNull();
        }
    }

    @Example
    void shouldReadTheRegionOfAnArn() {
        assertThat(SourceHints.regionOfArn("arn:aws:firehose:eu-west-2:123456789012:deliverystream/logs"))
                .isEqualTo("eu-west-2");
        assertThat(SourceHints.regionOfArn("arn:aws-cn:kinesis:cn-north-1:123456789012:stream/s"))
                .isEqualTo("cn-north-1");
        assertThat(SourceHints.regionOfArn("arn:aws:iam::123456789012:role/r")).isNull();
        assertThat(SourceHints.regionOfArn("arn:aws:firehose")).isNull();
        assertThat(SourceHints.regionOfArn("aws:lambda:events")).isNull();
        assertThat(SourceHints.regionOfArn("arn:aws:firehose:../../:1:x")).isNull();
        assertThat(SourceHints.regionOfArn(null)).isNull();
    }

    @Property
    void shouldNeverThrowOnAnyString(@ForAll String s) {
        SourceHints.ofRegion(s);
        SourceHints.regionOfArn(s);
        SourceHints.regionOfArn("arn:aws:firehose:" + s);
    }
}
