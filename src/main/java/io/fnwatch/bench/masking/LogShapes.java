package io.fnwatch.bench.masking;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fnwatch.model.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Wraps application messages in the records each provider delivers: a CloudWatch Logs event (Lambda's text
 * format and its JSON format), a CloudWatch Logs subscription payload, a Google Cloud LogEntry and an Azure
 * diagnostic-settings batch. Built with Jackson, so every escape is the one the provider would write.
 */
final class LogShapes {

    static final List<String> NAMES = List.of("aws-text", "aws-json", "gcp", "azure", "aws-subscription");
    private static final String REQUEST = "06e8554f-3109-426f-8992-0c834de2ac20";

    byte[] record(String shape, List<String> messages, long t) {
        ObjectNode doc = switch (shape) {
            case "aws-text" -> cloudWatch("2026-03-02T10:00:00.000Z\t" + REQUEST + "\tINFO\t" + messages.get(0), t);
            case "aws-json" -> cloudWatch(jsonLambda(messages.get(0)), t);
            case "gcp" -> gcp(messages.get(0));
            case "azure" -> azure(messages.get(0));
            default -> subscription(messages, t);
        };
        return doc.toString().getBytes(StandardCharsets.UTF_8);
    }

    private ObjectNode cloudWatch(String message, long t) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("logGroup", "/aws/lambda/orders-api")
                .put("logStream", "2026/03/02/[$LATEST]0f1e2d")
                .put("timestamp", t)
                .put("message", message)
                .put("account", "123456789012")
                .put("region", "us-east-1");
        return o;
    }

    private String jsonLambda(String message) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("timestamp", "2026-03-02T10:00:00.000Z")
                .put("level", "INFO")
                .put("requestId", REQUEST)
                .put("message", message);
        return o.toString();
    }

    private ObjectNode subscription(List<String> messages, long t) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("messageType", "DATA_MESSAGE")
                .put("owner", "123456789012")
                .put("logGroup", "/aws/lambda/orders-api")
                .put("logStream", "2026/03/02/[$LATEST]0f1e2d");
        ArrayNode events = o.putArray("logEvents");
        for (int i = 0; i < messages.size(); i++) {
            events.addObject()
                    .put("id", String.valueOf(i))
                    .put("timestamp", t + i)
                    .put("message", messages.get(i));
        }
        return o;
    }

    private ObjectNode gcp(String message) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("insertId", "b18048828030094a31942de4")
                .put("logName", "projects/acme-prod/logs/cloudfunctions.googleapis.com%2Fcloud-functions");
        o.putObject("labels").put("execution_id", "7lq2z6l3miw9");
        ObjectNode res = o.putObject("resource");
        res.put("type", "cloud_function")
                .putObject("labels")
                .put("function_name", "resize-image")
                .put("project_id", "acme-prod")
                .put("region", "europe-west1");
        o.put("severity", "INFO").put("timestamp", "2026-03-02T10:00:00.000Z").put("textPayload", message);
        return o;
    }

    private ObjectNode azure(String message) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        ObjectNode rec = o.putArray("records").addObject();
        rec.put("time", "2026-03-02T10:00:00.0000000Z")
                .put(
                        "resourceId",
                        "/SUBSCRIPTIONS/12CABCB4-86E8-404F-A3D2-"
                                + "1DC9982F45CA/RESOURCEGROUPS/ORDERS-RG/PROVIDERS/MICROSOFT.WEB/SITES/ORDERS-FNAPP")
                .put("category", "FunctionAppLogs")
                .put("operationName", "Microsoft.Web/sites/functions/log")
                .put("level", "Informational")
                .put("location", "East US");
        rec.putObject("properties")
                .put("appName", "orders-fnapp")
                .put("message", message)
                .put("category", "Function.ProcessOrder")
                .put("hostVersion", "4.31.1.1")
                .put("level", "Information")
                .put("levelId", 2)
                .put("functionName", "Functions.ProcessOrder")
                .put("functionInvocationId", REQUEST)
                .put("eventName", "FunctionCompleted");
        return o;
    }
}
