package io.fnwatch.cli;

import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.OpsSettings;
import io.fnwatch.ops.FnwatchService;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the service until stopped (embedded broker unless --bootstrap-servers is given).")
final class RunCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        FnwatchConfig config = common.load(Map.of());
        DetectorConfig detectors = CommonOptions.detectors(config);
        FnwatchService service = FnwatchService.start(FnwatchService.startBroker(config, false), detectors,
                Duration.ofMinutes(5));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("fnwatch: shutting down...");
            service.close();
            System.err.println("fnwatch: stopped cleanly");
            stopped.countDown();
        }, "fnwatch-shutdown"));
        FnwatchConfig c = service.config();
        System.err.println("fnwatch running. Kafka bootstrap servers: " + c.string(FnwatchConfig.BOOTSTRAP_SERVERS));
        System.err.println("  send logs to topic " + c.string(FnwatchConfig.TOPIC_RAW) + ", read alerts from "
                + c.string(FnwatchConfig.TOPIC_ALERTS) + "; Ctrl-C to stop.");
        String host = c.string(OpsSettings.HTTP_HOST);
        System.err.println("  HTTP: functions on port " + service.apiPort() + ", /metrics /healthz /readyz on port "
                + service.internalPort() + " of " + host + " (-1 = off)");
        while (!stopped.await(0, java.util.concurrent.TimeUnit.SECONDS)) {
            if (service.awaitFailure(Duration.ofSeconds(1))) {
                // a supervisor (systemd, Kubernetes) restarts us; the new process resumes from the last commit
                System.err.println("fnwatch: a stream thread failed; exiting (status 1) to be restarted");
                service.close();
                return 1;
            }
        }
        return 0;
    }
}
