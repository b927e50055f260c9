package org.sslbench.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ranks, win probability, paired t and Holm of "which method wins?", against hand-computed values. */
class MethodRanksTest {
    private static final double EPS = 1e-9;

    @Test
    void ranksWithinASeedAverageTies() {
        // 0.7 twice shares ranks 1 and 2; 0.6 is third, 0.5 fourth.
        assertArrayEquals(new double[] {4, 1.5, 1.5, 3}, MethodRanks.ranks(new double[] {0.5, 0.7, 0.7, 0.6}), EPS);
        // Seed 0: 0.5, 0.7, 0.6 → 3, 1, 2. Seed 1: 0.6, 0.6, 0.4 → 1.5, 1.5, 3.
        double[][] acc = {{0.5, 0.6}, {0.7, 0.6}, {0.6, 0.4}};
        assertArrayEquals(new double[] {2.25, 1.25, 2.5}, MethodRanks.meanRanks(acc), EPS);
    }

    @Test
    void holmAdjustsStepDownAndKeepsTheOrder() {
        // Sorted 0.005, 0.01, 0.03, 0.04 → ×4, ×3, ×2, ×1 = 0.02, 0.03, 0.06, 0.04 → running max 0.06 for the last.
        assertArrayEquals(new double[] {0.03, 0.06, 0.06, 0.02},
                MethodRanks.holm(new double[] {0.01, 0.04, 0.03, 0.005}), EPS);
        // A pair without a test is not in the family (m = 2) and stays NaN.
        double[] withNan = MethodRanks.holm(new double[] {0.02, Double.NaN, 0.5});
        assertEquals(0.04, withNan[0], EPS);
        assertTrue(Double.isNaN(withNan[1]));
        assertEquals(0.5, withNan[2], EPS);
        // Capped at 1.
        assertArrayEquals(new double[] {1, 1}, MethodRanks.holm(new double[] {0.6, 0.7}), EPS);
    }

    @Test
    void winProbabilityIsCertainWhenOneMethodWinsEverySeedAndSharedOnExactTies() {
        assertArrayEquals(new double[] {1, 0}, MethodRanks.winProbabilities(
                new double[][] {{0.6, 0.7, 0.8}, {0.5, 0.6, 0.7}}, 1000, 7), 0.0);
        // Identical methods tie in every resample and share each win.
        assertArrayEquals(new double[] {0.5, 0.5}, MethodRanks.winProbabilities(
                new double[][] {{0.6, 0.7}, {0.6, 0.7}}, 1000, 7), 0.0);
    }

    @Test
    void winProbabilityIsReproducibleAndAProbability() {
        // A wins on seeds 0 and 1, loses badly on seed 2: A's resampled mean beats B's 0.5 when at most
        // one of three draws is seed 2, probability 20/27.
        double[][] acc = {{1.0, 1.0, 0.0}, {0.5, 0.5, 0.5}, {0.45, 0.48, 0.4}};
        double[] p = MethodRanks.winProbabilities(acc, MethodRanks.RESAMPLES, MethodRanks.RNG_SEED);
        assertArrayEquals(p, MethodRanks.winProbabilities(acc, MethodRanks.RESAMPLES, MethodRanks.RNG_SEED), 0.0);
        assertEquals(1.0, Arrays.stream(p).sum(), 1e-12);
        Arrays.stream(p).forEach(v -> assertTrue(v >= 0 && v <= 1, "" + v));
        assertTrue(p[0] > 0 && p[0] < 1 && p[1] > 0 && p[1] < 1, Arrays.toString(p));
        assertEquals(0.0, p[2], 0.0); // C is below B on every seed: it never wins
        // A bound that holds for any RNG seed: 10 000 resamples put the share within 0.05 of 20/27 (> 10 sd).
        assertEquals(20.0 / 27, p[0], 0.05);
    }

    /** Cells of one method at n=100 over the given seeds. */
    private static List<CellResult> method(String name, double... acc) {
        List<CellResult> out = new ArrayList<>();
        for (int s = 0; s < acc.length; s++) {
            out.add(AnswerTest.cell(name, 100, s, acc[s]));
        }
        return out;
    }

    @Test
    void pairedTTestWithHolmOnTheCommonSeeds() {
        List<CellResult> cells = new ArrayList<>();
        cells.addAll(method("rotation", 0.50, 0.55, 0.60));
        cells.addAll(method("supervised", 0.40, 0.44, 0.50));
        cells.addAll(method("simclr", 0.51, 0.54, 0.61, 0.70)); // seed 3 only here: left out for all
        List<MethodRanks.Group> groups = MethodRanks.groups(cells, Leaderboard.aggregate(cells));
        assertEquals(1, groups.size());
        MethodRanks.Group g = groups.get(0);
        assertEquals(List.of("seed 0", "seed 1", "seed 2"), g.units());
        assertEquals(List.of("seed 3"), g.leftOut());
        MethodRanks.Pair rs = g.pairs().stream().filter(p -> p.a().row().method().equals("rotation")
                && p.b().row().method().equals("supervised")).findFirst().orElseThrow();
        // d = 10, 11, 10 points: mean 31/3, sd 1/√3, t = 31; two-sided p with 2 df = 1 − t/√(2 + t²).
        assertEquals(31.0 / 3, rs.meanDeltaPoints(), 1e-9);
        assertEquals(31.0, rs.t(), 1e-6);
        double p = 1 - 31 / Math.sqrt(2 + 31.0 * 31);
        assertEquals(p, rs.p(), 1e-9);
        // Three pairs in the family: Holm multiplies the smallest p by 3 at most.
        assertTrue(rs.pHolm() >= rs.p() && rs.pHolm() <= Math.min(1, 3 * rs.p()) + EPS);
        double[] all = g.pairs().stream().mapToDouble(MethodRanks.Pair::p).toArray();
        double[] holm = MethodRanks.holm(all);
        for (int i = 0; i < all.length; i++) {
            assertEquals(holm[i], g.pairs().get(i).pHolm(), 0.0);
        }
        assertEquals("a better", rs.verdict());
        // Mean ranks over the 3 common seeds: simclr 1,2,1 → 4/3; rotation 2,1,2 → 5/3; supervised 3.
        for (MethodRanks.Ranked r : g.ranked()) {
            double expected = switch (r.row().method()) {
                case "simclr" -> 4.0 / 3;
                case "rotation" -> 5.0 / 3;
                default -> 3.0;
            };
            assertEquals(expected, r.meanRank(), EPS, r.label());
        }
    }

    @Test
    void aSingleSeedRanksButNeitherResamplesNorTests() {
        List<CellResult> cells = new ArrayList<>();
        cells.addAll(method("rotation", 0.50));
        cells.addAll(method("supervised", 0.40));
        MethodRanks.Group g = MethodRanks.groups(cells, Leaderboard.aggregate(cells)).get(0);
        assertEquals(1, g.units().size());
        g.ranked().forEach(r -> assertTrue(Double.isNaN(r.winProbability())));
        assertEquals("single seed", g.pairs().get(0).verdict());
        assertTrue(Double.isNaN(g.pairs().get(0).p()));
        assertTrue(Answer.pairwiseLine(g).contains("ranks are from a single seed; no resampling or test is possible"),
                Answer.pairwiseLine(g));
    }

    @Test
    void onlyOkCellsCount() {
        List<CellResult> cells = new ArrayList<>();
        cells.addAll(method("rotation", 0.50, 0.55, 0.60));
        cells.addAll(method("supervised", 0.40, 0.44, 0.50));
        cells.set(2, TestCells.withStatus(cells.get(2), Status.DIVERGED));
        MethodRanks.Group g = MethodRanks.groups(cells, Leaderboard.aggregate(cells)).get(0);
        assertEquals(List.of("seed 0", "seed 1"), g.units());
        assertEquals(List.of("seed 2"), g.leftOut());
    }
}
