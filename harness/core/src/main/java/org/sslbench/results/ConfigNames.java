package org.sslbench.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.sslbench.matrix.ConfigHash;

/**
 * Names configurations by what sets them apart: of several configurations of one method, each is
 * named by the settings (method params, pretext, protocol, dataset, preprocess) whose value differs
 * from another's, e.g. {@code knn temperature 0.07} or {@code temperature=0.1} (a method param).
 * The settings are the flattened {@code key=value;…} text of a leaderboard row ({@link LeaderboardRow#settings()}).
 */
final class ConfigNames {
    private ConfigNames() {
    }

    /** Settings text ({@code key=value;…}) as a sorted map; values keep any {@code =} after the first. */
    static Map<String, String> parse(String settings) {
        Map<String, String> out = new TreeMap<>();
        if (settings == null || settings.isEmpty()) {
            return out;
        }
        for (String pair : settings.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return out;
    }

    /**
     * What cells.csv records of a configuration, as settings: its method params, pretext epochs
     * and downstream epochs. Numbers are put in canonical form so that they compare equal to
     * the full settings written by bench ({@code 1.0E-4} and {@code 0.0001} are one value).
     */
    static String recorded(CellResult c) {
        Map<String, String> out = new TreeMap<>();
        out.put("method", c.method());
        for (Map.Entry<String, String> p : parse(c.methodParams()).entrySet()) {
            out.put("params." + p.getKey(), canonical(p.getValue()));
        }
        if (c.pretextEpochs() > 0) {
            out.put("pretext.epochs", Integer.toString(c.pretextEpochs()));
        }
        if (c.downstreamEpochs() > 0) {
            out.put("protocol.train.epochs", Integer.toString(c.downstreamEpochs()));
        }
        out.put("subset_kind", c.subsetKind());
        return join(out);
    }

    static String join(Map<String, String> settings) {
        StringBuilder sb = new StringBuilder();
        settings.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ";").append(k).append('=').append(v));
        return sb.toString();
    }

    private static String canonical(String value) {
        try {
            return ConfigHash.canonicalNumber(Double.parseDouble(value));
        } catch (NumberFormatException e) {
            return value;
        }
    }

    /**
     * For each of {@code settings} (one per configuration, same order), the settings whose value
     * another configuration has otherwise, rendered ({@link #render}) and joined by {@code , };
     * empty when none is known to differ. Keys failing {@code considered} are ignored, and so are
     * keys one of the two does not know (rows described only by what cells.csv records).
     */
    static List<String> distinguishing(List<String> settings, String protocol, Predicate<String> considered) {
        List<Map<String, String>> maps = settings.stream().map(ConfigNames::withSelection).toList();
        List<String> out = new ArrayList<>();
        for (Map<String, String> own : maps) {
            List<String> parts = new ArrayList<>();
            own.forEach((k, v) -> {
                if (considered.test(k) && maps.stream().anyMatch(o -> o.containsKey(k) && !Objects.equals(o.get(k), v))) {
                    parts.add(render(k, v, protocol));
                }
            });
            out.add(String.join(", ", parts));
        }
        return out;
    }

    /**
     * {@link #parse}, with {@code protocol.selection=fixed} where full settings lack it: a protocol
     * without the key is the fixed one (settings written before selection existed, or a kNN with a
     * single k), so a labelled configuration is named by its selection rather than by whatever
     * else differs (a fresh-user check saw {@code eval_every 0} vs {@code eval_every 1}).
     */
    static Map<String, String> withSelection(String settings) {
        Map<String, String> m = parse(settings);
        if (m.keySet().stream().anyMatch(k -> k.startsWith("protocol.") && !k.startsWith("protocol.train.epochs"))) {
            m.putIfAbsent("protocol.selection", "fixed");
        }
        return m;
    }

    /**
     * A setting as a reader names it: a method param {@code temperature=0.1}; any other setting
     * in words, {@code knn temperature 0.07}, {@code pretext optimizer lr 0.1}, {@code dataset
     * unlabeled_limit 300}.
     */
    static String render(String key, String value, String protocol) {
        if (key.startsWith("params.")) {
            return key.substring("params.".length()) + "=" + value;
        }
        String words = key.startsWith("protocol.train.") ? protocol + " " + key.substring("protocol.train.".length())
                : key.startsWith("protocol.") && protocol != null && !protocol.isEmpty()
                ? protocol + " " + key.substring("protocol.".length()) : key;
        return words.replace('.', ' ') + " " + value;
    }

    /** Settings keys that define the encoder (the pretext run), not its evaluation. */
    static boolean pretextKey(String key) {
        return key.startsWith("params.") || key.startsWith("pretext.") || key.startsWith("dataset.")
                || key.startsWith("preprocess.");
    }

    /** Settings keys that differ between the label counts of one configuration: never a name. */
    static boolean notPerLabelCount(String key) {
        return !key.equals("n_labels");
    }

    /**
     * A name per pretext run (by pretext hash): {@code simclr seed 0}, plus, when the scope holds
     * several pretext configurations of the method, the pretext settings that set this one apart
     * ({@code {temperature=0.1}}), and {@code (current)} / {@code (not current)} when the directory
     * knows its current spec: a run is current when a current configuration used its encoder. Runs
     * still sharing a name get their pretext hash ({@code [pretext 1a2b3c4d]}).
     */
    static Map<String, String> pretextLabels(List<PretextRun> runs, List<CellResult> cells, Leaderboard board) {
        Map<String, LeaderboardRow> rowByConfig = new java.util.HashMap<>();
        board.rows().forEach(r -> rowByConfig.putIfAbsent(r.configId(), r));
        Map<String, List<LeaderboardRow>> rowsOfRun = new java.util.HashMap<>();
        for (CellResult c : cells) {
            LeaderboardRow r = rowByConfig.get(Leaderboard.identity(c));
            if (r != null) {
                rowsOfRun.computeIfAbsent(c.pretextHash(), k -> new ArrayList<>()).add(r);
            }
        }
        Map<String, List<PretextRun>> byMethod = new java.util.LinkedHashMap<>();
        runs.forEach(run -> byMethod.computeIfAbsent(run.scope() + "\u0000" + run.method(), k -> new ArrayList<>()).add(run));
        Map<String, String> out = new java.util.LinkedHashMap<>();
        byMethod.forEach((scope, members) -> {
            List<String> settings = members.stream().map(run -> rowsOfRun.getOrDefault(run.hash(), List.of()).stream()
                    .findFirst().map(LeaderboardRow::settings).orElse("")).toList();
            List<String> names = ConfigNames.distinguishing(settings, "", ConfigNames::pretextKey);
            for (int i = 0; i < members.size(); i++) {
                PretextRun run = members.get(i);
                List<LeaderboardRow> rows = rowsOfRun.getOrDefault(run.hash(), List.of());
                String currency = rows.stream().anyMatch(r -> LeaderboardRow.CURRENT.equals(r.current())) ? " (current)"
                        : !rows.isEmpty() && rows.stream().allMatch(LeaderboardRow::isOld) ? " (not current)" : "";
                out.put(run.hash(), run.method() + " seed " + run.seed()
                        + (names.get(i).isEmpty() ? "" : " {" + names.get(i) + "}") + currency);
            }
        });
        Map<String, Long> uses = new java.util.HashMap<>();
        out.values().forEach(l -> uses.merge(l, 1L, Long::sum));
        out.replaceAll((hash, label) -> uses.get(label) > 1
                ? label + " [pretext " + hash.substring(0, Math.min(8, hash.length())) + "]" : label);
        return out;
    }
}
