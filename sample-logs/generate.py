#!/usr/bin/env python3
"""Generates sample-logs/ deterministically (seeded): realistic AWS Lambda logs in CloudWatch event JSON
lines, one gzip file per function, plus malformed records. See sample-logs/README.md for what is inside.
Run from the repository root: python3 sample-logs/generate.py"""
import gzip, json, math, os, random, uuid
from datetime import datetime, timezone, timedelta

R = random.Random(20260302)
ACCOUNT, REGION = "123456789012", "us-east-1"
START = datetime(2026, 3, 2, tzinfo=timezone.utc)
DAYS = 3
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "aws-lambda")

def ms(dt): return int(dt.timestamp() * 1000)
def rid(): return str(uuid.UUID(int=R.getrandbits(128), version=4))
def hexid(): return "%032x" % R.getrandbits(128)
def daily(t):  # 0..1, quiet at 04:00 UTC, busiest at 16:00
    h = t.hour + t.minute / 60
    return 0.5 * (1 - math.cos(2 * math.pi * (h - 4) / 24))
def poisson(lam):
    if lam <= 0: return 0
    l, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= R.random()
        if p <= l: return k
        k += 1

class Fn:
    def __init__(s, name, runtime, memory, median_ms, sigma, cold=0.01, region=REGION):
        s.name, s.runtime, s.memory, s.median, s.sigma, s.cold = name, runtime, memory, median_ms, sigma, cold
        s.region = region
        s.lines, s.stream = [], None
        s.arn_hex = "%064x" % R.getrandbits(256)
    def ev(s, t, message):
        s.lines.append((ms(t), json.dumps({"logGroup": "/aws/lambda/" + s.name, "logStream": s.stream,
            "timestamp": ms(t), "message": message + "\n", "account": ACCOUNT, "region": s.region},
            separators=(",", ":"))))
    def invoke(s, t, slow=1.0, timeout_s=None, app_line=None, force_cold=False, oom=False, used_of=None):
        cold = force_cold or s.stream is None or R.random() < s.cold
        if cold:
            s.stream = t.strftime("%Y/%m/%d/") + "[$LATEST]" + hexid()
            s.ev(t, "INIT_START Runtime Version: %s\tRuntime Version ARN: arn:aws:lambda:%s::runtime:%s"
                 % (s.runtime, s.region, s.arn_hex))
        r = rid()
        s.ev(t, "START RequestId: %s Version: $LATEST" % r)
        d = s.median * slow * math.exp(R.gauss(0, s.sigma))
        if timeout_s: d = timeout_s * 1000 + R.uniform(1, 8)
        t_end = t + timedelta(milliseconds=d)
        if app_line:
            s.ev(t + timedelta(milliseconds=d / 2), "%sZ\t%s\t%s" % (t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3], r, app_line))
        if not oom:  # a call killed for running out of memory writes no END line
            s.ev(t_end, "END RequestId: %s" % r)
        used = int((used_of or s.memory) * R.uniform(0.15, 0.35))
        if oom: used = s.memory
        report = ("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\t"
                  "Max Memory Used: %d MB\t" % (r, d, math.ceil(d), s.memory, used))
        if cold: report += "Init Duration: %.2f ms\t" % R.uniform(180, 900)
        if oom: report += "Status: error\tError Type: Runtime.OutOfMemory"
        s.ev(t_end, report)
        s.last_end = t_end
        if timeout_s:
            s.ev(t_end + timedelta(milliseconds=1), "%sZ %s Task timed out after %.2f seconds"
                 % (t_end.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3], r, timeout_s))
        return r
    def deny(s, t, action, resource):
        r = rid()
        s.ev(t, "[ERROR]\t%sZ\t%s\tClientError: An error occurred (AccessDenied) when calling the %s operation: "
             "User: arn:aws:sts::%s:assumed-role/%s-role/%s is not authorized to perform: %s on resource: %s"
             % (t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3], r, action.split(":")[1], ACCOUNT, s.name, s.name,
                action, resource))
    def write(s):
        os.makedirs(OUT, exist_ok=True)
        s.lines.sort(key=lambda x: x[0])
        with gzip.GzipFile(os.path.join(OUT, s.name + ".jsonl.gz"), "wb", mtime=0) as f:
            for _, line in s.lines: f.write((line + "\n").encode())

def steady(fn, base, amp, every_minute=None, start=START, days=DAYS):
    t = start
    while t < start + timedelta(days=days):
        n = poisson(base + amp * daily(t))
        for _ in range(n):
            at = t + timedelta(milliseconds=R.uniform(0, 60000))
            extra = every_minute(at) if every_minute else {}
            fn.invoke(at, **extra)
        t += timedelta(minutes=1)

def at(day, h, m=0): return START + timedelta(days=day, hours=h, minutes=m)

# 1. orders-api: a traffic spike on day 2 at 14:00 for 15 minutes (+60 invocations a minute);
#    and on day 3 from 16:00 to 16:15 about 40 % of its calls run out of memory (ERROR_BURST): which calls
#    fail is drawn from a generator of its own, so that every other line stays as it was
orders = Fn("orders-api", "python:3.12.v38", 512, 120, 0.30)
OOM = random.Random(20260304)
def orders_call(t):
    extra = {"app_line": "INFO\torder accepted"} if R.random() < 0.1 else {}
    if at(2, 16) <= t < at(2, 16, 15) and OOM.random() < 0.4:
        extra = {"oom": True, "slow": 1.5}
    return extra
steady(orders, 1.0, 3.0, orders_call)
for minute in range(15):
    for _ in range(poisson(60)):
        orders.invoke(at(1, 14, minute) + timedelta(milliseconds=R.uniform(0, 60000)), app_line="INFO\torder accepted")

# 2. payments-worker: warm durations 3.5x slower on day 3 from 10:00 to 11:00 (slow downstream)
payments = Fn("payments-worker", "nodejs:20.v41", 1024, 250, 0.35)
steady(payments, 1.0, 2.0, lambda t: {"slow": 3.5} if at(2, 10) <= t < at(2, 11) else {})

# 3. reports-export: one benign denial a day, and a burst of 45 denials on day 2 at 03:10
reports = Fn("reports-export", "java:21.v27", 2048, 900, 0.25, cold=0.03)
steady(reports, 0.2, 0.6)
for d in range(DAYS):
    reports.deny(at(d, 7, 30) + timedelta(seconds=R.uniform(0, 3600)), "ssm:GetParameter",
                 "arn:aws:ssm:us-east-1:123456789012:parameter/optional/feature-flags")
for i in range(45):
    reports.deny(at(1, 3, 10) + timedelta(seconds=i * 8 + R.uniform(0, 5)), "s3:GetObject",
                 "arn:aws:s3:::finance-reports/2026/q1/ledger-%02d.csv" % (i % 12))

# 4. thumbnailer: one timeout a day (old format), nothing to report
thumbs = Fn("thumbnailer", "python:3.11.v52", 256, 800, 0.40)
steady(thumbs, 0.5, 1.5)
for d in range(DAYS):
    thumbs.invoke(at(d, 12, 17), timeout_s=3)

# 5. auth-authorizer: busy and fast, nothing to report
auth = Fn("auth-authorizer", "nodejs:20.v41", 128, 15, 0.5)
steady(auth, 0.5, 2.5)

# 6. nightly-cleanup: low traffic (once an hour); 0 -> 3 is not a spike; its run on day 2 at 06:05 runs out
#    of memory: one failed call of a quiet function is no error burst
cleanup = Fn("nightly-cleanup", "python:3.12.v38", 256, 4000, 0.2)
for h in range(DAYS * 24):
    cleanup.invoke(START + timedelta(hours=h, minutes=5, seconds=R.uniform(0, 30)), oom=h == 30)

# 7. legacy-billing-sync: ran nightly in January, silent for 40 days, then wakes up on day 3 at 09:30
legacy = Fn("legacy-billing-sync", "python:3.9.v64", 256, 1500, 0.2)
for d in range(5):
    legacy.invoke(datetime(2026, 1, 18 + d, 2, 0, tzinfo=timezone.utc) + timedelta(seconds=R.uniform(0, 60)),
                  force_cold=True)
for i in range(3):
    legacy.invoke(at(2, 9, 30) + timedelta(seconds=20 * i))

# 8. payments-worker leaks a database password into its logs once, on day 2 at 08:00 (SECRET_IN_LOGS);
#    drawn last so that every line above stays as it was
leak_at = at(1, 8, 0, ) + timedelta(seconds=13)
payments.stream = payments.stream or "2026/03/03/[$LATEST]" + hexid()
payments.ev(leak_at, "%sZ\t%s\tINFO\tconnecting to postgres://payments:Pa55w0rd-0c7f@db.internal:5432/ledger"
            % (leak_at.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3], rid()))

# 9. cart-service logs custom metrics in Embedded Metric Format (as Powertools for AWS Lambda does) after
#    every call: its PaymentLatency (ms, around 120) is 4x slower on day 2 from 15:00 to 15:30 while its
#    call rate stays the same (METRIC_ANOMALY); drawn after everything above so that it stays as it was
cart = Fn("cart-service", "python:3.12.v38", 512, 90, 0.3)
def cart_call(t):
    slow = 4.0 if at(1, 15, 0) <= t < at(1, 15, 30) else 1.0
    r = cart.invoke(t)
    emf = {"_aws": {"Timestamp": ms(t), "CloudWatchMetrics": [{"Namespace": "Shop", "Dimensions": [["service"]],
           "Metrics": [{"Name": "PaymentLatency", "Unit": "Milliseconds"}, {"Name": "CartItems", "Unit": "Count"}]}]},
           "service": "cart", "PaymentLatency": round(120 * slow * math.exp(R.gauss(0, 0.2)), 2),
           "CartItems": 1 + poisson(2), "requestId": r}
    cart.ev(t + timedelta(milliseconds=80), json.dumps(emf, separators=(",", ":")))
t = START
while t < START + timedelta(days=DAYS):
    for _ in range(poisson(0.5 + 1.5 * daily(t))):
        cart_call(t + timedelta(milliseconds=R.uniform(0, 60000)))
    t += timedelta(minutes=1)

# 10. catalog-sync pulls a partner's product feed page by page (it waits on the partner's API, so its calls take
#     ~25 s whatever their memory). On day 3 at 14:00 a configuration change gives it 10240 MB instead of 512 MB
#     (copied from another function's settings), reverted at 15:30: each call costs 20x as much while calls and
#     durations stay as they were (COST_SPIKE). Drawn after everything above so that it stays as it was.
catalog = Fn("catalog-sync", "python:3.12.v38", 512, 25000, 0.3)
t = START
while t < START + timedelta(days=DAYS):
    for _ in range(poisson(0.2 + 0.6 * daily(t))):
        at_ = t + timedelta(milliseconds=R.uniform(0, 60000))
        big = at(2, 14) <= at_ < at(2, 15, 30)
        memory = 10240 if big else 512
        changed = memory != catalog.memory  # a new configuration starts new execution environments
        catalog.memory = memory
        catalog.invoke(at_, force_cold=changed, used_of=512)
    t += timedelta(minutes=1)

# 11. search-indexer is new on day 3, in eu-west-1 next to the search cluster: at 02:00 its initial load invokes it
#     asynchronously for each of 1,360 partitions of the orders table, 170 a minute for 8 minutes, and each call
#     takes about 5 minutes; busy execution environments are not reused, so every call until the first ones end is
#     a cold start. By 02:05 about 850 executions run at once, 85 % of the account's 1,000 in eu-west-1
#     (CONCURRENCY_NEAR_LIMIT for the account). From 02:30 it keeps the index in sync, one ~20 s call every 5 minutes.
search = Fn("search-indexer", "python:3.12.v38", 1024, 300000, 0.06, region="eu-west-1")
free = []  # (time an execution environment becomes free, its log stream)
def search_call(t, **kw):
    free.sort()
    search.stream = free.pop(0)[1] if free and free[0][0] <= t else None
    search.invoke(t, **kw)
    free.append((search.last_end, search.stream))
for i in range(1360):
    search_call(at(2, 2) + timedelta(milliseconds=i * 480000 / 1360 + R.uniform(0, 300)))
search.median = 20000
for k in range(30, 12 * 24):
    search_call(at(2, 0, 5 * k) + timedelta(milliseconds=R.uniform(0, 2000)), slow=math.exp(R.gauss(0, 0.3)))

for fn in (orders, payments, reports, thumbs, auth, cleanup, legacy, cart, catalog, search):
    fn.write()
    print("%-22s %7d lines" % (fn.name, len(fn.lines)))
