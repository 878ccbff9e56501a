package io.fnwatch.ingest.pull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Google Cloud LogEntries and Azure {@code {"records":[…]}} events as the services deliver them, for the tests. */
public final class PulledLogs {

    public static final long T0 = 1_772_409_600_000L; // 2026-03-02T00:00:00Z

    private PulledLogs() {}

    /** A Cloud Run service's stdout line of {@code project}, {@code second}s after T0. */
    public static byte[] gcp(String project, String service, String insertId, int second) {
        return ("{\"insertId\":\"" + insertId + "\",\"logName\":\"projects/" + project
                        + "/logs/run.googleapis.com%2Fstdout\",\"resource\":{\"type\":\"cloud_run_revision\",\"labels\":{"
                        + "\"project_id\":\"" + project + "\",\"service_name\":\"" + service
                        + "\",\"location\":\"us-central1\",\"revision_name\":\"" + service + "-00001-abc\"}},"
                        + "\"severity\":\"INFO\",\"timestamp\":\"" + java.time.Instant.ofEpochMilli(T0 + second * 1000L)
                        + "\",\"textPayload\":\"handled request " + insertId + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** One FunctionAppLogs record of {@code app}/{@code function} in {@code subscription}. */
    public static String azureRecord(String subscription, String app, String function, int second, String message) {
        return "{\"time\":\"" + java.time.Instant.ofEpochMilli(T0 + second * 1000L)
                + "\",\"resourceId\":\"/SUBSCRIPTIONS/"
                + subscription + "/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.WEB/SITES/"
                + app.toUpperCase(java.util.Locale.ROOT)
                + "\",\"category\":\"FunctionAppLogs\",\"operationName\":\"Microsoft.Web/sites/functions/log\","
                + "\"level\":\"Informational\",\"properties\":{\"appName\":\"" + app + "\",\"message\":\"" + message
                + "\",\"category\":\"Function." + function + ".User\",\"level\":\"Information\",\"levelId\":2,"
                + "\"functionName\":\"Functions." + function + "\"}}";
    }

    public static byte[] azure(List<String> records) {
        return ("{\"records\":[" + String.join(",", records) + "]}").getBytes(StandardCharsets.UTF_8);
    }

    /** {@code n} records of one function, seconds from {@code second}. */
    public static byte[] azureOf(String subscription, String app, String function, int second, int n) {
        List<String> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(azureRecord(subscription, app, function, second + i, "line " + i));
        }
        return azure(records);
    }
}
