package io.fnwatch.cli;

import io.fnwatch.config.ConfigErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fnwatch} command. Subcommands wire components together and hold no logic of their own. */
@Command(
        name = "fnwatch",
        mixinStandardHelpOptions = true,
        version = "fnwatch 0.1.0",
        description = "Watches serverless function logs on Kafka and raises alerts.",
        subcommands = {
            DemoCommand.class,
            RunCommand.class,
            ReplayCommand.class,
            AlertsCommand.class,
            ParseCommand.class,
            BacktestCommand.class,
            BenchCommand.class,
            KeysCommand.class,
            InventoryCommand.class,
            NotifyCommand.class,
            ConfigReferenceCommand.class
        })
public final class Main {

    public static final int CONFIG_ERROR = 2;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigErrors errors) {
                System.err.println("fnwatch: invalid configuration:");
                errors.problems().forEach(p -> System.err.println("  - " + p));
                return CONFIG_ERROR;
            }
            System.err.println("fnwatch: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        return cli.execute(args);
    }
}
