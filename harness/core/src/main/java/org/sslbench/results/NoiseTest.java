package org.sslbench.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether side A beats side B beyond seed noise. Deliberately simple (a ~95% band of two standard
 * errors, no t quantiles or multiple-testing correction): it flags differences worth a look, it
 * is not a significance test to publish.
 *
 * <ol>
 *   <li><b>paired</b>, when both sides have per-seed values for at least two common seeds (for
 *       predefined folds: common (seed, fold) pairs): with d = A − B per common seed,
 *       Δ = mean(d); A is better/worse when |Δ| > 2·sd(d)/√n. Pairing
 *       removes what the seed (label subset, initialisation) does to both sides alike, so it can
 *       separate methods that the seeds' spread alone cannot. When every d is the same
 *       (sd(d) = 0, e.g. two seeds that both moved by exactly 0.01 points) the differences
 *       estimate no noise: {@link Verdict#NO_SPREAD}, Δ shown, not judged (a zero band would
 *       call any gap better or worse).</li>
 *   <li><b>unpaired</b>, else, when at least one side has a known spread over ≥ 2 seeds:
 *       Δ = mean A − mean B; decided when |Δ| > 2·√(sA²/nA + sB²/nB). A side with one value, or
 *       whose spread is unknown (a published number), contributes 0; a band of exactly 0 (every
 *       known spread is 0) is no noise estimate and gives {@link Verdict#NO_SPREAD}.</li>
 *   <li>else {@link Verdict#NO_SPREAD}: Δ is shown, not judged.</li>
 * </ol>
 */
public final class NoiseTest {
    /** The verdict, the Δ it is based on (fraction; A − B) and how it was reached. */
    public record Judgement(Verdict verdict, double delta, String test, double threshold) {
    }

    public static final String PAIRED = "paired";
    public static final String UNPAIRED = "unpaired";
    public static final String NONE = "";
    private static final double BAND = 2.0;
    /**
     * A noise band below this (a fraction: 1e-9 is a billionth of the test split) is floating-point
     * rounding of identical differences (0.6005 − 0.6 is not exactly 0.0005), not a noise estimate.
     */
    static final double RESOLUTION = 1e-9;

    private NoiseTest() {
    }

    public static Judgement judge(Sample a, Sample b) {
        if (!a.hasValue() || !b.hasValue()) {
            return new Judgement(Verdict.NO_VALUE, Double.NaN, NONE, Double.NaN);
        }
        Optional<double[]> deltas = pairedDeltas(a, b);
        if (deltas.isPresent()) {
            double[] d = deltas.get();
            double threshold = BAND * Stats.sampleStd(d) / Math.sqrt(d.length);
            if (!(threshold > RESOLUTION)) {
                // Identical differences on every seed: their spread estimates no noise (a zero
                // band would call any gap, 0.01 points included, better or worse).
                return new Judgement(Verdict.NO_SPREAD, Stats.mean(d), PAIRED, Double.NaN);
            }
            return decide(Stats.mean(d), PAIRED, threshold);
        }
        double delta = a.mean() - b.mean();
        double threshold = BAND * Math.sqrt(varianceOfMean(a) + varianceOfMean(b));
        if (!(threshold > RESOLUTION)) {
            // No side has a spread, or every known spread is exactly 0 (identical seeds): no noise estimate.
            return new Judgement(Verdict.NO_SPREAD, delta, NONE, Double.NaN);
        }
        return decide(delta, UNPAIRED, threshold);
    }

    private static Judgement decide(double delta, String test, double threshold) {
        Verdict v = delta > threshold ? Verdict.BETTER : delta < -threshold ? Verdict.WORSE : Verdict.WITHIN_NOISE;
        return new Judgement(v, delta, test, threshold);
    }

    private static double varianceOfMean(Sample s) {
        return s.hasSpread() ? s.std() * s.std() / s.n() : 0.0;
    }

    /**
     * What a paired Δ leaves out, for a table that shows each side's mean over all its seeds next
     * to Δ: {@code paired over 2 common seeds} (or {@code … common seed × fold units}) when
     * {@code j} is paired and either side has values for units the other lacks, since Δ is then
     * not the difference of the two means; empty otherwise (unpaired Δ is that difference).
     */
    public static String pairedOver(Judgement j, Sample a, Sample b) {
        if (!PAIRED.equals(j.test())) {
            return "";
        }
        List<String> common = a.units().stream().filter(b.units()::contains).toList();
        if (common.size() == a.n() && common.size() == b.n()) {
            return "";
        }
        boolean folds = common.stream().anyMatch(u -> u.contains(" fold "));
        return "paired over " + common.size() + " common " + (folds ? "seed × fold units" : "seeds");
    }

    /** A − B for each unit (seed, or seed and fold) both sides have, in A's order; empty when fewer than two. */
    static Optional<double[]> pairedDeltas(Sample a, Sample b) {
        Optional<Map<String, Double>> mapA = a.byUnit();
        Optional<Map<String, Double>> mapB = b.byUnit();
        if (mapA.isEmpty() || mapB.isEmpty()) {
            return Optional.empty();
        }
        List<Double> d = new ArrayList<>();
        for (String unit : a.units()) {
            Double other = mapB.get().get(unit);
            if (other != null) {
                d.add(mapA.get().get(unit) - other);
            }
        }
        return d.size() < 2 ? Optional.empty() : Optional.of(d.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
