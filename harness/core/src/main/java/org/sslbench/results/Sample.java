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
 * @param units  what each of {@code values} is a repetition of, in the same order: {@code seed 3} for a
 *               stratified subset, {@code seed 0 fold 7} for a predefined fold; pairing matches
 *               equal units; both empty when only the summary is known
 */
public record Sample(double mean, double std, int n, List<String> units, List<Double> values) {

    public Sample {
        units = List.copyOf(units);
        values = List.copyOf(values);
        if (units.size() != values.size()) {
            throw new IllegalArgumentException(units.size() + " units for " + values.size() + " values");
        }
    }

    /** From per-seed values ({@link #ofUnits} with units {@code seed <s>}). */
    public static Sample ofSeeds(List<Integer> seeds, List<Double> values) {
        return ofUnits(seeds.stream().map(s -> "seed " + s).toList(), values);
    }

    /** From per-repetition values; NaN values (not measured) are left out, as the leaderboard does. */
    public static Sample ofUnits(List<String> units, List<Double> values) {
        List<String> keptUnits = new ArrayList<>();
        List<Double> kept = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            if (!Double.isNaN(values.get(i))) {
                keptUnits.add(units.get(i));
                kept.add(values.get(i));
            }
        }
        double[] v = kept.stream().mapToDouble(Double::doubleValue).toArray();
        return new Sample(Stats.mean(v), Stats.sampleStd(v), v.length, keptUnits, kept);
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
     * Values by unit, for pairing; empty when values are not per unit or a unit repeats, because
     * then a unit does not name one value.
     */
    public Optional<Map<String, Double>> byUnit() {
        if (units.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Double> map = new HashMap<>();
        for (int i = 0; i < units.size(); i++) {
            if (map.put(units.get(i), values.get(i)) != null) {
                return Optional.empty();
            }
        }
        return Optional.of(map);
    }
}
