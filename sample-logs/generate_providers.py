#!/usr/bin/env python3
"""Generates the Google, Azure and CloudTrail sample logs deterministically (seeded). They are benign: steady
traffic of a few invocations an hour, stable durations, at most one denial per function per day, no function
that wakes after a long silence, no secrets. The demo and PipelineIT replay them and expect no alert from them.

Every line holds the events of one function only, in event-time order per function, so the replayer can key
it and nothing arrives LATE. Run from the repository root: python3 sample-logs/generate_providers.py"""
import json, math, os, random, uuid
from datetime import datetime, timezone, timedelta

R = random.Random(20260303)
START = datetime(2026, 3, 2, tzinfo=timezone.utc)
DAYS = 3
ROOT = os.path.dirname(os.path.abspath(__file__))


def rid(): return str(uuid.UUID(int=R.getrandbits(128), version=4))
def hexid(n): return "%0*x" % (n, R.getrandbits(4 * n))
def alnum(n): return "".join(R.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))
def compact(d): return json.dumps(d, separators=(",", ":"))
def rfc3339(t, digits=6): return t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:20 + digits].rstrip(".") + "Z"
def lognormal(median, sigma): return median * math.exp(R.gauss(0, sigma))


def arrivals(mean_minutes):
    """Invocation times over the sample period: exponential gaps, busier in the European afternoon."""
    t, out = START + timedelta(minutes=R.uniform(0, mean_minutes)), []
    while t < START + timedelta(days=DAYS):
        out.append(t)
        busy = 0.6 + 0.8 * 0.5 * (1 - math.cos(2 * math.pi * (t.hour - 4) / 24))
        t += timedelta(minutes=max(2.0, R.expovariate(busy / mean_minutes)))
    return out


def every(minutes, offset_s=0):
    return [START + timedelta(minutes=m, seconds=offset_s + R.uniform(0, 4)) for m in range(0, DAYS * 1440, minutes)]


def write(path, lines):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    lines.sort(key=lambda x: x[0])
    with open(path, "w") as f:
        for _, line in lines:
            f.write(line + "\n")
    print("%-40s %5d lines" % (os.path.relpath(path, ROOT), len(lines)))


# ---------------------------------------------------------------- Google Cloud (project acme-prod)
GCP = []


def entry(t, resource, log, severity, trace=None, labels=None, **payload):
    e = {"insertId": hexid(24), "labels": labels or {}, "logName": "projects/acme-prod/logs/" + log,
         "receiveTimestamp": rfc3339(t + timedelta(milliseconds=R.uniform(80, 900)))[:-1] + "%03dZ" % R.randrange(1000),
         "resource": resource, "severity": severity, "timestamp": rfc3339(t)}
    if trace:
        e["trace"] = "projects/acme-prod/traces/" + trace
    e.update(payload)
    GCP.append((t, compact(e)))


def gen1(name, region, mean_minutes, median_ms, completion, app_lines, denial_day=None):
    """A gen1 function: started, an application line now and then, the completion line in its wording."""
    res = {"labels": {"function_name": name, "project_id": "acme-prod", "region": region}, "type": "cloud_function"}
    log = "cloudfunctions.googleapis.com%2Fcloud-functions"
    instance = "00c61b117c" + hexid(40)
    for i, t in enumerate(arrivals(mean_minutes)):
        labels = {"execution_id": alnum(12), "instance_id": instance}
        if R.random() < 0.02:
            instance = "00c61b117c" + hexid(40)
        d = max(5, int(lognormal(median_ms, 0.25)))
        entry(t, res, log, "DEBUG", labels=labels, textPayload="Function execution started")
        if R.random() < 0.5:
            entry(t + timedelta(milliseconds=d * 0.6), res, log, "INFO", labels=labels, textPayload=R.choice(app_lines) % R.randrange(1, 9999))
        if denial_day is not None and t >= START + timedelta(days=denial_day, hours=11):
            denial_day = None  # once: an optional secret it may not read; the function falls back and succeeds
            entry(t + timedelta(milliseconds=d * 0.3), res, log, "WARNING", labels=labels, jsonPayload={
                "message": "google.api_core.exceptions.PermissionDenied: 403 Permission 'secretmanager.versions.access' "
                           "denied for resource 'projects/acme-prod/secrets/cdn-url-prefix/versions/latest' (or it may not exist).",
                "python_logger": "root"})
        entry(t + timedelta(milliseconds=d), res, log, "DEBUG", labels=labels, textPayload=completion % d)


def gen2(name, region, mean_minutes, median_ms, method, path, agent, deploy_day):
    """A gen2 function (a Cloud Run service): a structured log line with the trace, then the request log."""
    revisions = ["%s-000%d-%s" % (name, n, alnum(3)) for n in (12, 13)]
    url = "https://%s-4x7h2k3lqa-%s.a.run.app%s" % (name, "ew" if region.startswith("europe") else "uc", path)
    times = arrivals(mean_minutes) if mean_minutes else every(60, 2)
    for t in times:
        rev = revisions[1] if t >= START + timedelta(days=deploy_day, hours=9) else revisions[0]
        res = {"labels": {"configuration_name": name, "location": region, "project_id": "acme-prod",
                          "revision_name": rev, "service_name": name}, "type": "cloud_run_revision"}
        labels = {"instanceId": "0087599d42" + hexid(60)}
        trace, d = hexid(32), lognormal(median_ms, 0.2)
        entry(t + timedelta(milliseconds=d * 0.8), res, "run.googleapis.com%2Fstdout", "INFO", trace=trace, labels=labels,
              jsonPayload={"message": "%s %s handled" % (method, path.split("?")[0]), "severity": "INFO",
                           "logging.googleapis.com/trace": "projects/acme-prod/traces/" + trace})
        entry(t + timedelta(milliseconds=d), res, "run.googleapis.com%2Frequests", "INFO", trace=trace, labels=labels,
              spanId=hexid(16), httpRequest={"requestMethod": method, "requestUrl": url, "requestSize": str(R.randrange(300, 2400)),
              "status": 200, "responseSize": str(R.randrange(80, 600)), "userAgent": agent,
              "remoteIp": "%d.%d.%d.%d" % (R.choice([34, 35, 54]), R.randrange(256), R.randrange(256), R.randrange(1, 255)),
              "serverIp": "216.239.32.53", "latency": "%.9fs" % (d / 1000), "protocol": "HTTP/1.1"})


gen1("resize-image", "europe-west1", 45, 850, "Function execution took %d ms. Finished with status code: 200",
     ["resized gs://acme-uploads/u/%d/avatar.png to 3 sizes", "thumbnail cache hit for upload %d"], denial_day=1)
gen1("order-events", "us-central1", 60, 120, "Function execution took %d ms, finished with status: 'ok'",
     ["published order %d to fulfilment", "order %d already processed, acking"])
gen2("checkout-webhook", "europe-west1", 50, 180, "POST", "/", "Stripe/1.0 (+https://stripe.com/docs/webhooks)", deploy_day=1)
gen2("inventory-sync", "us-central1", None, 420, "GET", "/sync?store=17", "Google-Cloud-Scheduler", deploy_day=2)
write(os.path.join(ROOT, "gcp", "cloud-functions.jsonl"), GCP)

# ---------------------------------------------------------------- Azure Functions (FunctionAppLogs)
AZ = []
SUB = "12CABCB4-86E8-404F-A3D2-1DC9982F45CA"


def azure_time(t): return t.strftime("%Y-%m-%dT%H:%M:%S.%f") + "%dZ" % R.randrange(10)


class App:
    def __init__(self, name, group, location, host):
        self.name, self.location, self.host = name, location, host
        self.resource = "/SUBSCRIPTIONS/%s/RESOURCEGROUPS/%s/PROVIDERS/MICROSOFT.WEB/SITES/%s" % (SUB, group, name.upper())
        self.role, self.host_id = "54108609-6382042005937%05d" % R.randrange(100000), rid()

    def record(self, t, message, function=None, invocation=None, level=2, event=None, user=False, **extra):
        levels = {2: ("Information", "Informational"), 3: ("Warning", "Warning"), 4: ("Error", "Error")}
        p = {"appName": self.name, "roleInstance": self.role, "message": message,
             "category": "Host.General" if function is None else "Function.%s%s" % (function, ".User" if user else ""),
             "hostVersion": self.host, "hostInstanceId": self.host_id, "level": levels[level][0], "levelId": level,
             "processId": 67}
        if function:
            p["functionName"] = "Functions." + function
        if invocation:
            p["functionInvocationId"] = invocation
        if event:
            p["eventId"], p["eventName"] = event
        p.update(extra)
        return {"time": azure_time(t), "resourceId": self.resource, "category": "FunctionAppLogs",
                "operationName": "Microsoft.Web/sites/functions/log", "level": levels[level][1],
                "location": self.location, "properties": p}

    def batch(self, t, records):
        AZ.append((t, compact({"records": records})))

    def invocation(self, t, function, reason, median_ms, user_line=None, failure=None):
        i, d = rid(), lognormal(median_ms, 0.2)
        recs = [self.record(t, "Executing 'Functions.%s' (Reason='%s', Id=%s)" % (function, reason, i), function, i,
                            event=(1, "FunctionStarted"))]
        if user_line:
            recs.append(self.record(t + timedelta(milliseconds=d / 2), user_line, function, i, user=True))
        if failure:
            recs.append(self.record(t + timedelta(milliseconds=d * 0.9), failure, function, i, level=4, user=True))
        done = "Executed 'Functions.%s' (%s, Id=%s%s)" % (function, "Failed" if failure else "Succeeded", i,
                                                          "" if self.host.startswith("2.") else ", Duration=%dms" % d)
        recs.append(self.record(t + timedelta(milliseconds=d), done, function, i, level=4 if failure else 2,
                                event=(3 if failure else 2, "FunctionCompleted")))
        self.batch(t, recs)

    def host_lines(self):
        for day in range(DAYS):
            t = START + timedelta(days=day, hours=3, minutes=R.uniform(0, 50))
            self.batch(t, [self.record(t, "Host lock lease acquired by instance ID '%s'." % hexid(32).upper())])


orders = App("orders-fnapp", "ORDERS-RG", "East US", "4.31.1.1")
for t in arrivals(40):
    orders.invocation(t, "ProcessOrder", "This function was programmatically called via the host APIs.", 260,
                      user_line="Order %d accepted for fulfilment" % R.randrange(10000, 99999))
for t in arrivals(70):
    orders.invocation(t, "SendReceipt", "New queue message detected on 'receipts'.", 90)
orders.host_lines()

exports = App("exports-fnapp", "DATA-RG", "West Europe", "4.31.1.1")
AUTHZ = ("azure.core.exceptions.HttpResponseError: (AuthorizationFailed) The client '3f6c1a2b-9d4e-4f70-8a1b-2c3d4e5f6a7b' "
         "with object id '3f6c1a2b-9d4e-4f70-8a1b-2c3d4e5f6a7b' does not have authorization to perform action "
         "'Microsoft.Storage/storageAccounts/listKeys/action' over scope '/subscriptions/12cabcb4-86e8-404f-a3d2-1dc9982f45ca"
         "/resourceGroups/data-rg/providers/Microsoft.Storage/storageAccounts/acmeexports' or the scope is invalid. "
         "If access was recently granted, please refresh your credentials.\nCode: AuthorizationFailed")
for day in range(DAYS):
    t = START + timedelta(days=day, hours=2, seconds=R.uniform(0, 3))
    exports.invocation(t, "NightlyExport", "Timer fired at %s" % t.strftime("%Y-%m-%dT%H:%M:%S.0000000+00:00"), 41000,
                       user_line="Exported %d rows to acmeexports/daily" % R.randrange(200000, 260000),
                       failure=AUTHZ if day == 1 else None)
exports.host_lines()

legacy = App("legacy-reports", "REPORTS-RG", "West Europe", "2.0.12961.0")
for t in every(180, 30):
    legacy.invocation(t, "BuildReport", "Timer fired at %s" % t.strftime("%Y-%m-%dT%H:%M:%S"), 3300,
                      user_line="Report %d built" % R.randrange(1000, 9999))
write(os.path.join(ROOT, "azure", "function-app-logs.jsonl"), AZ)

# ---------------------------------------------------------------- CloudTrail (Lambda execution roles)
CT = []
ACCOUNT, REGION = "123456789012", "us-east-1"
AGENTS = {
    "python3.12": "Boto3/1.34.162 md/Botocore#1.34.162 ua/2.0 os/linux#5.10.227-239.884.amzn2.x86_64 md/arch#x86_64 "
                  "lang/python#3.12.7 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.162",
    "nodejs20.x": "aws-sdk-js/3.515.0 ua/2.0 os/linux#5.10.209-219.812.amzn2.x86_64 lang/js md/nodejs#20.11.1 "
                  "api/%s#3.515.0 exec-env/AWS_Lambda_nodejs20.x",
    "java21": "aws-sdk-java/2.25.6 Linux/5.10.209-219.812.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/21.0.2+13-LTS "
              "Java/21.0.2 vendor/Amazon.com_Inc. exec-env/AWS_Lambda_java21 io/sync http/Apache cfg/retry-mode/legacy",
}


ROLES = {}


def trail(t, fn, runtime, source, name, params, data_event, resources=None, error=None):
    role = ROLES.setdefault(fn, "%s-role-%s" % (fn, alnum(8)))
    r = {"eventVersion": "1.10", "userIdentity": {"type": "AssumedRole", "principalId": "AROA3XFRBF23EXAMPLE:" + fn,
         "arn": "arn:aws:sts::%s:assumed-role/%s/%s" % (ACCOUNT, role, fn), "accountId": ACCOUNT,
         "accessKeyId": "ASIA3XFRBF23EXAMPLE", "sessionContext": {"sessionIssuer": {"type": "Role",
         "principalId": "AROA3XFRBF23EXAMPLE", "arn": "arn:aws:iam::%s:role/service-role/%s" % (ACCOUNT, role),
         "accountId": ACCOUNT, "userName": role}, "attributes": {"creationDate": rfc3339(t - timedelta(minutes=R.randrange(1, 50)), 0),
         "mfaAuthenticated": "false"}}}, "eventTime": rfc3339(t, 0), "eventSource": source + ".amazonaws.com",
         "eventName": name, "awsRegion": REGION, "sourceIPAddress": "3.%d.%d.%d" % (R.randrange(80, 240), R.randrange(256), R.randrange(1, 255)),
         "userAgent": AGENTS[runtime].replace("%s", source)}
    if error:
        r["errorCode"], r["errorMessage"] = error
    r.update({"requestParameters": params, "responseElements": None, "requestID": rid(), "eventID": rid(),
              "readOnly": name.startswith(("Get", "Describe", "List", "Query")), "eventType": "AwsApiCall",
              "managementEvent": not data_event, "recipientAccountId": ACCOUNT,
              "eventCategory": "Data" if data_event else "Management"})
    if resources:
        r["resources"] = resources
    return r


def trail_file(fn, runtime, calls, hours):
    """One log file's worth (CloudTrail delivers about every 5 minutes) of one function's calls."""
    for day in range(DAYS):
        for h in hours:
            t = START + timedelta(days=day, hours=h, minutes=R.uniform(0, 50))
            records = [trail(t + timedelta(seconds=i * R.uniform(5, 40)), fn, runtime, *call) for i, call in enumerate(calls(t))]
            CT.append((t, compact({"Records": records})))


TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/feeds"
trail_file("feed-indexer", "python3.12", lambda t: [
    ("secretsmanager", "GetSecretValue", {"secretId": "prod/feed-indexer/api"}, False),
    ("dynamodb", "DescribeTable", {"tableName": "feeds"}, False),
    ("kms", "Decrypt", {"encryptionAlgorithm": "SYMMETRIC_DEFAULT"}, False)], hours=(6, 18))
trail_file("invoice-renderer", "java21", lambda t: [
    ("s3", "GetObject", {"bucketName": "invoice-templates", "key": "v3/invoice.html"}, True,
     [{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::invoice-templates/v3/invoice.html"}]),
    ("sqs", "SendMessage", {"queueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/invoices-rendered"}, True)],
    hours=(9,))
trail_file("image-moderation", "nodejs20.x", lambda t: [
    ("rekognition", "DetectModerationLabels", {"minConfidence": 60}, False),
    ("s3", "PutObjectTagging", {"bucketName": "acme-uploads", "key": "u/%d/avatar.png" % R.randrange(1, 9999)}, True)],
    hours=(10, 15))
# The one denial: feed-indexer reads a secret its role was never granted, once, on day 2.
t = START + timedelta(days=1, hours=13, minutes=7)
arn = "arn:aws:sts::%s:assumed-role/%s/feed-indexer" % (ACCOUNT, ROLES["feed-indexer"])
CT.append((t, compact({"Records": [trail(t, "feed-indexer", "python3.12", "secretsmanager", "GetSecretValue",
    {"secretId": "prod/partner/ftp"}, False, error=("AccessDenied",
    "User: %s is not authorized to perform: secretsmanager:GetSecretValue on resource: prod/partner/ftp because no "
    "identity-based policy allows the secretsmanager:GetSecretValue action" % arn))]})))
write(os.path.join(ROOT, "cloudtrail", "cloudtrail.jsonl"), CT)
