package io.fnwatch.notify;

import io.fnwatch.model.Alert;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The routes file loaded: its sinks by name and its routes in file order. An alert goes to every sink of every
 * route it matches, once per sink: when two matching routes name the same sink, the first route in the file
 * sends it (with its rate limit).
 */
public final class Routes {

    /** One delivery an alert calls for: through {@code route} to {@code sink}. */
    public record Target(Route route, Sink sink) {}

    private final Map<String, Sink> sinks;
    private final List<Route> routes;

    public Routes(Map<String, Sink> sinks, List<Route> routes) {
        this.sinks = new LinkedHashMap<>(sinks);
        this.routes = List.copyOf(routes);
    }

    public Map<String, Sink> sinks() {
        return Map.copyOf(sinks);
    }

    public List<Route> routes() {
        return routes;
    }

    public Route route(String name) {
        return routes.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    /** The deliveries {@code a} calls for, in route order, at most one per sink. */
    public List<Target> targets(Alert a, boolean update) {
        List<Target> out = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (Route r : routes) {
            if (r.matches(a, update)) {
                for (String s : r.sinks()) {
                    if (taken.add(s)) {
                        out.add(new Target(r, sinks.get(s)));
                    }
                }
            }
        }
        return out;
    }

    /** Sinks and routes, one a line, secrets masked: safe to log. */
    public String describe() {
        String s = sinks.values().stream().map(x -> "sink " + x.describe()).collect(Collectors.joining("\n"));
        String r = routes.stream()
                .map(x -> "route " + x.name() + ": tenant=" + x.tenantGlob() + " function=" + x.functionGlob()
                        + " types=" + (x.types().isEmpty() ? "any" : new java.util.TreeSet<>(x.types()))
                        + " minSeverity=" + x.minSeverity() + " states=" + new java.util.TreeSet<>(x.states())
                        + " sinks=" + x.sinks()
                        + (x.rateLimit() > 0 ? " rateLimit=" + x.rateLimit() + "/min" : ""))
                .collect(Collectors.joining("\n"));
        return s + "\n" + r;
    }

    @Override
    public String toString() {
        return describe();
    }
}
