package io.fnwatch.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Function names from log group and stream, the same for the puller and every subscription shape. */
class CloudWatchEventsTest {

    @Test
    void shouldNameTheFunctionOfALambdaGroupFromTheGroup() {
        assertThat(CloudWatchEvents.functionOf("/aws/lambda/orders-api", "2024/05/29/[$LATEST]ab"))
                .isEqualTo("orders-api");
        // Lambda@Edge replicas keep the prefix of the region the function was created in
        assertThat(CloudWatchEvents.functionOf("/aws/lambda/us-east-1.edge", "2024/05/29/[1]ab"))
                .isEqualTo("us-east-1.edge");
        // even a stream that looks like a custom group's cannot rename a Lambda group's function
        assertThat(CloudWatchEvents.functionOf("/aws/lambda/orders-api", "2024/05/29/other[1][ab]"))
                .isEqualTo("orders-api");
    }

    @Test
    void shouldNameTheFunctionOfACustomGroupFromItsStream() {
        assertThat(CloudWatchEvents.functionOf("/shop/shared", "2024/05/29/payments-api[7][0f1e]"))
                .isEqualTo("payments-api");
        assertThat(CloudWatchEvents.functionOf("/shop/shared", "2024/05/29/Fn_1[$LATEST][0f1e]"))
                .isEqualTo("Fn_1");
    }

    @Test
    void shouldUseAnyOtherGroupWholeWhenItsStreamNamesNoFunction() {
        for (String stream : new String[] {
            null,
            "",
            "2024/05/29/",
            "2024/05/29/[$LATEST]ab",
            "web/web/7f0e1d2c3b4a",
            "2024/05/29/a b[1][x]",
            "2024/05/29/../x[1][x]",
            "abcd/05/29/fn[1][x]",
            "2024-05-29/fn[1][x]",
            "2024/05/29/" + "f".repeat(65) + "[1][x]",
            "2024/05/29/fn-without-bracket"
        }) {
            assertThat(CloudWatchEvents.functionOf("/ecs/web", stream))
                    .as(String.valueOf(stream))
                    .isEqualTo("/ecs/web");
        }
        assertThat(CloudWatchEvents.functionOf("/g", "2024/05/29/" + "f".repeat(64) + "[1][x]"))
                .isEqualTo("f".repeat(64));
    }
}
