package io.fnwatch.cli;

import io.fnwatch.config.ConfigReference;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * Prints the generated configuration reference that is committed as {@code docs/configuration.md}. Hidden:
 * it is a maintainer's tool, so {@code fnwatch --help} stays as users know it.
 */
@Command(
        name = "config-reference",
        hidden = true,
        mixinStandardHelpOptions = true,
        description = "Print the configuration reference (docs/configuration.md) as markdown on stdout.")
final class ConfigReferenceCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        // Bytes, not characters: the file is UTF-8 whatever the platform's default encoding is.
        byte[] markdown = ConfigReference.markdown().getBytes(StandardCharsets.UTF_8);
        System.out.write(markdown, 0, markdown.length);
        System.out.flush();
        return 0;
    }
}
