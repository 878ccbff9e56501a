package io.fnwatch.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.DeadLetter.Reason;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

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

    /** Records no documented export writes; an exporter, a proxy or an attacker can send each of them. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"records\":[{\"category\":\"FunctionAppLogs\",\"time\":\"2026-03-04T07:30:10Z\",\"properties\":null}]}",
                "{\"records\":[{\"category\":\"FunctionAppLogs\",\"time\":\"2026-03-04T07:30:10Z\",\"properties\":\"x\"}]}",
                "{\"records\":[{\"category\":\"FunctionAppLogs\",\"time\":\"2026-03-04T07:30:10Z\",\"resourceId\":[],"
                        + "\"properties\":{\"functionName\":null,\"appName\":\"\",\"message\":\"x\",\"levelId\":\"4\"}}]}",
                "{\"records\":[{\"category\":\"FunctionAppLogs\",\"time\":\"2026-03-04T07:30:10Z\",\"resourceId\":\"/SITES/\","
                        + "\"properties\":{\"functionName\":\"Functions.\",\"appName\":{},\"message\":{},\"exceptionMessage\":\"\","
                        + "\"levelId\":1e300,\"level\":[],\"exceptionType\":null,\"exceptionDetails\":\": \"}}]}",
                "{\"records\":[{\"category\":\"FunctionAppLogs\",\"time\":\"2026-03-04T07:30:10Z\",\"resourceId\":\""
                        + RESOURCE
                        + "\",\"properties\":{\"functionName\":\"Functions.F\",\"message\":\"Executed 'Functions.F' (Failed, Id=x)\"}}]}",
                "{\"records\":[{\"TimeGenerated\":\"2026-03-04T07:30:10Z\",\"Type\":null}]}",
                "{\"records\":[{\"TimeGenerated\":null,\"Type\":\"FunctionAppLogs\"}]}",
                "{\"records\":[{\"TimeGenerated\":\"2026-03-04T07:30:10Z\",\"Type\":\"FunctionAppLogs\",\"_ResourceId\":null,"
                        + "\"AppName\":null,\"FunctionName\":\"F\",\"Message\":null,\"LevelId\":null}]}",
                "{\"records\":[{\"TimeGenerated\":\"2026-03-04T07:30:10Z\",\"Type\":\"AppTraces\"}]}",
                "{\"records\":[{\"TimeGenerated\":\"2026-03-04T07:30:10Z\",\"Type\":\"AppExceptions\",\"AppRoleName\":[],"
                        + "\"OperationName\":\"\",\"Properties\":\"x\",\"SeverityLevel\":\"3\"}]}",
                "{\"records\":[{\"TimeGenerated\":\"2026-03-04T07:30:10Z\",\"Type\":\"AppExceptions\",\"AppRoleName\":\"a\","
                        + "\"OperationName\":\"F\",\"Properties\":null,\"SeverityLevel\":99999999999}]}",
                "{\"records\":[null]}",
                "{\"records\":[{\"category\":null}]}"
            })
    void shouldNeverThrowWhenAFieldIsNullAbsentOrOfAnotherType(String doc) {
        ParseResult r = parse(ParserSettings.DEFAULTS, doc);

        // LogParser turns a parser's exception into a BAD_FIELD naming its class: none may appear
        assertThat(r.rejections()).noneSatisfy(x -> assertThat(x.detail()).containsPattern("^\\w+(Exception|Error):"));
        assertThat(r.events().size() + r.rejections().size()).isEqualTo(1);
    }

    @Test
    void shouldGiveTheSameAppOneKeyWhetherNamedByAppNameOrByTheUpperCasedResourceId() {
        String named = record("FunctionAppLogs").replace("\"appName\":\"exports\"", "\"appName\":\"Exports\"");
        String unnamed = record("FunctionAppLogs").replace("\"appName\":\"exports\",", "");

        ParseResult r = parse(ParserSettings.DEFAULTS, "{\"records\":[" + named + "," + unnamed + "]}");

        assertThat(r.events())
                .extracting(e -> e.key().asString())
                .containsExactly(
                        "default/azure/12cabcb4-86e8-404f-a3d2-1dc9982f45ca/East US/exports/NightlyExport",
                        "default/azure/12cabcb4-86e8-404f-a3d2-1dc9982f45ca/East US/exports/NightlyExport");
    }

    @ParameterizedTest
    @CsvSource({"2,", "3,", "4,Error", "5,Critical", "6,Critical"})
    void shouldCallLevelFourAndAboveSevere(int levelId, String level) {
        var p = io.fnwatch.model.Json.MAPPER.createObjectNode().put("levelId", levelId);

        assertThat(AzureRecordsParser.severeLevel(p, p)).isEqualTo(level);
    }
}
