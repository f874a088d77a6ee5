package io.sqlgate.client;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** Replays the original client's scenario through the gatekeeper and prints a summary. */
@Command(name = "sqlgate-scenario", mixinStandardHelpOptions = true, version = "0.1.0",
        description = "Replays the original client's scenario (writes through /populate_tables, then reads through "
                + "/fetch_direct, /fetch_random and /fetch_customized) through the gatekeeper and prints a summary.")
public final class ScenarioCommand implements Callable<Integer> {

    @Option(names = "--url", description = "The gatekeeper's base URL (default: ${DEFAULT-VALUE}).", defaultValue = "http://127.0.0.1:8080/")
    URI url;

    @Option(names = "--key", description = "A writer API key (default: the SQLGATE_API_KEY environment variable).",
            defaultValue = "${env:SQLGATE_API_KEY}")
    String key;

    @Option(names = "--writes-per-table", description = "Writes into each table (default: ${DEFAULT-VALUE}).", defaultValue = "20")
    int writesPerTable;

    @Option(names = "--reads-per-route", description = "Reads through each /fetch_* route (default: ${DEFAULT-VALUE}).", defaultValue = "20")
    int readsPerRoute;

    @Option(names = "--timeout", description = "Longest wait for one answer, e.g. 10s (default: ${DEFAULT-VALUE}).", defaultValue = "10s")
    String timeout;

    @Override
    public Integer call() {
        if (key == null || key.isBlank()) {
            System.err.println("No API key: pass --key or set SQLGATE_API_KEY");
            return 2;
        }
        GatekeeperClient client = new GatekeeperClient(url.toString().endsWith("/") ? url : URI.create(url + "/"), key,
                Duration.parse("PT" + timeout.toUpperCase()));
        System.out.println("Replaying the original scenario through " + url);
        List<Answer> answers = new Scenario(client, writesPerTable, readsPerRoute).run(line -> System.out.println("  " + line));
        ScenarioSummary summary = new ScenarioSummary(answers);
        System.out.println();
        System.out.println(summary.render());
        return summary.allOk() ? 0 : 1;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ScenarioCommand()).execute(args));
    }
}
