package io.fnwatch.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.DeadLetter.Reason;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AzureRecordsParserTest {

    private static final String RESOURCE = "/SUBSCRIPTIONS/12CABCB4-86E8-404F-A3D2-1DC9982F45CA/RESOURCEGROUPS/RG"
            + "/PROVIDERS/MICROSOFT.WEB/SITES/EXPORTS";

    private static String record(String category) {
        return "{\"time\":\"2026-03-04T07:30:10.1100000Z\",\"resourceId\":\"" + RESOURCE + "\",\"category\":\""
                + category + "\",\"operationName\":\"Microsoft.Web/sites/functions/log\",\"location\":\"East US\","
                + "\"properties\":{\"appName\":\"exports\",\"functionName\":\"Functions.NightlyExport\","
                + "\"message\":\"export started\",\"levelId\":2}}";
    }

    private static ParseResult parse(ParserSettings settings, String doc) {
        return new LogParser(settings).parse(doc.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldRejectTheWholePayloadOnceWhenItHoldsMoreRecordsThanAllowed() {
        ParserSettings two = new ParserSettings("default", 1 << 20, 1024, 16 << 20, 2);
        String r = record("FunctionAppLogs");

        ParseResult result = parse(two, "{\"records\":[" + r + "," + r + "," + r + "]}");

        assertThat(result.events()).isEmpty();
        assertThat(result.rejections()).extracting(Rejection::reason).containsExactly(Reason.TOO_LARGE);
    }

    @Test
    void shouldRejectEachRecordOfAnotherCategoryAndKeepTheRest() {
        ParseResult result = parse(
                ParserSettings.DEFAULTS,
                "{\"records\":[" + record("FunctionAppLogs") + "," + record("AppServiceAuthenticationLogs") + "]}");

        assertThat(result.events()).singleElement().satisfies(e -> {
            assertThat(e.function()).isEqualTo("exports/NightlyExport");
            assertThat(e.tenant()).isEqualTo("default");
        });
        assertThat(result.rejections())
                .containsExactly(new Rejection(
                        Reason.UNKNOWN_FORMAT,
                        "Azure log category AppServiceAuthenticationLogs is not FunctionAppLogs",
                        RESOURCE));
    }

    @Test
    void shouldLeaveRecordsOfOnlyDataToTheFirehoseShapeWhenTheyLackCategory() {
        ParseResult result = parse(ParserSettings.DEFAULTS, "{\"records\":[{\"data\":\"aGVsbG8=\"}]}");

        assertThat(result.rejections()).extracting(Rejection::reason).containsExactly(Reason.UNKNOWN_FORMAT);
    }

    @ParameterizedTest
    @CsvSource({
        RESOURCE + ",12cabcb4-86e8-404f-a3d2-1dc9982f45ca",
        "/subscriptions/abc/resourceGroups/rg,abc",
        "/SUBSCRIPTIONS/ABC,abc",
        "/SUBSCRIPTIONS/,",
        "/resourceGroups/rg,",
        ","
    })
    void shouldTakeTheLowerCaseSubscriptionWhenTheResourceIdNamesOne(String resourceId, String subscription) {
        assertThat(AzureRecordsParser.subscription(resourceId)).isEqualTo(subscription);
    }
}
