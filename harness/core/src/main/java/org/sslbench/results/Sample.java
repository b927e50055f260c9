package org.sslbench.results;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One side's accuracy for one key and metric: per-seed values when they are known (a run with
 * its cells.csv), else only a summary (a leaderboard alone, a published number).
 *
 * @param std    sample std over the values; 0.0 for one value; NaN when unknown (a published
 *               mean over several runs, or a leaderboard's mean of max accuracies)
 * @param seeds  seeds of {@code values}, in the same order; both empty when only the summary is known
 */
public record Sample(double mean, double std, int n, List<Integer> seeds, List<Double> values) {

    public Sample {
        seeds = List.copyOf(seeds);
        values = List.copyOf(values);
        if (seeds.size() != values.size()) {
            throw new IllegalArgumentException(seeds.size() + " seeds for " + values.size() + " values");
        }
    }

    /** From per-seed values; NaN values (not measured) are left out, as the leaderboard does. */
    public static Sample ofSeeds(List<Integer> seeds, List<Double> values) {
        List<Integer> keptSeeds = new ArrayList<>();
        List<Double> kept = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            if (!Double.isNaN(values.get(i))) {
                keptSeeds.add(seeds.get(i));
                kept.add(values.get(i));
            }
        }
        double[] v = kept.stream().mapToDouble(Double::doubleValue).toArray();
        return new Sample(Stats.mean(v), Stats.sampleStd(v), v.length, keptSeeds, kept);
    }

    public static Sample summary(double mean, double std, int n) {
        return new Sample(mean, std, n, List.of(), List.of());
    }

    public boolean hasValue() {
        return n > 0 && !Double.isNaN(mean);
    }

    /** True when the spread of at least two values is known: what an unpaired judgement needs. */
    public boolean hasSpread() {
        return n >= 2 && !Double.isNaN(std);
    }

    /**
     * Values by seed, for pairing; empty when values are not per seed or a seed repeats (two
     * configurations of one method in a run), because then a seed does not name one value.
     */
    public Optional<Map<Integer, Double>> bySeed() {
        if (seeds.isEmpty()) {
            return Optional.empty();
        }
        Map<Integer, Double> map = new HashMap<>();
        for (int i = 0; i < seeds.size(); i++) {
            if (map.put(seeds.get(i), values.get(i)) != null) {
                return Optional.empty();
            }
        }
        return Optional.of(map);
    }
}
