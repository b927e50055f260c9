package org.sslbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's answer section and the end-of-bench answer, from hand-built cells: no training. */
class AnswerTest {
    @TempDir
    Path dir;

    /** An ok stratified fine-tune cell on cifar10 / resnet20; label subset {@code subset-<seed>}. */
    static CellResult cell(String method, int nLabels, int seed, double acc) {
        boolean pretext = !method.equals("supervised");
        String config = String.join("|", method, "finetune", "" + nLabels);
        return new CellResult("spec-a", method, "cifar10", "resnet20", "finetune", nLabels, seed, pretext ? 5 : 0,
                10, acc, acc + 0.01, 1 - acc, pretext ? 0.5 : Double.NaN, pretext ? 0.1 : Double.NaN,
                12.0 + nLabels / 100.0, pretext ? 30.0 + seed : 0.0, 1500.0, Status.OK, "", "", "subset-" + seed,
                CellResult.STRATIFIED, -1, config, config + "|" + seed, pretext ? method + "-s" + seed : "", "", "",
                TestCells.PROVENANCE);
    }

    /**
     * Supervised at n = 10, 100, 1000 with means 30, 50, 70 %; rotation at n = 100 with 59, 60, 62 %
     * (seed-wise 10, 10, 11 points above supervised's 49, 50, 51).
     */
    private List<CellResult> curve() {
        List<CellResult> cells = new ArrayList<>();
        int[] counts = {10, 100, 1000};
        double[] means = {0.30, 0.50, 0.70};
        for (int k = 0; k < counts.length; k++) {
            for (int s = 0; s < 3; s++) {
                cells.add(cell("supervised", counts[k], s, means[k] + (s - 1) / 100.0));
            }
        }
        double[] rotation = {0.59, 0.60, 0.62};
        for (int s = 0; s < 3; s++) {
            cells.add(cell("rotation", 100, s, rotation[s]));
        }
        return cells;
    }

    private Report.Inputs write(List<CellResult> cells) throws IOException {
        CellsCsv csv = CellsCsv.open(dir);
        for (CellResult c : cells) {
            csv.append(c);
        }
        Files.writeString(dir.resolve("spec.yaml"), "name: answer-check\n");
        Path pretext = Files.createDirectories(dir.resolve("pretext"));
        for (int s = 0; s < 3; s++) {
            Files.writeString(pretext.resolve("rotation-s" + s + ".log.csv"), """
                    epoch,loss,lr,images_per_second,collapse_std
                    1,1.3,0.001,900.0,0.12
                    2,0.9,0.001,1100.0,0.10
                    """);
        }
        return Report.load(dir, null);
    }

    private static String render(Report.Inputs in) {
        return ReportMarkdown.render(in, new Plots.Written(Map.of(), Map.of(), Map.of(), Map.of()), Instant.EPOCH);
    }

    /**
     * The pixels floor answers its own question (tester round 2, N3): every encoder, the random one
     * of supervised included, against the raw pixels, paired by seed; pixels itself is not judged
     * as SSL.
     */
    @Test
    void thePixelsFloorIsAnAnswerOfItsOwn() throws IOException {
        List<CellResult> cells = curve();
        double[] pixels = {0.40, 0.42, 0.41};
        for (int s = 0; s < 3; s++) {
            cells.add(cell("pixels", 100, s, pixels[s]));
        }
        String md = render(write(cells));
        String answer = md.substring(md.indexOf("## Answer"), md.indexOf("## Provenance"));
        int floor = answer.indexOf("**Does it beat the pixels floor?**");
        assertTrue(floor > 0, answer);
        String table = answer.substring(floor, answer.indexOf("**Which method wins?**", floor));
        // rotation - pixels per seed: 19, 18, 21 points: mean 19.33, sd 1.528, ± 4.303 x 0.882 = 3.80;
        // supervised - pixels: 9, 8, 10: mean 9, sd 1, ± 4.303 x 0.577 = 2.48
        assertTrue(table.contains("| rotation | +19.33 [+15.54, +23.13] better (3) |"), table);
        assertTrue(table.contains("| supervised | +9.00 [+6.52, +11.48] better (3) |"), table);
        String ssl = answer.substring(answer.indexOf("**Does SSL beat scratch?**"), floor);
        assertFalse(ssl.contains("| pixels |"), "pixels is no SSL method: " + ssl);
    }

    @Test
    void theFirstScreenAnswersTheFourQuestionsBeforeTheProvenance() throws IOException {
        String md = render(write(curve()));
        int answer = md.indexOf("## Answer");
        assertTrue(answer > 0 && answer < md.indexOf("## Provenance") && md.indexOf("## Provenance")
                < md.indexOf("## Leaderboard"), md);
        String top = md.substring(answer, md.indexOf("## Provenance"));
        // Δ: d = 10, 10, 11 → mean 10.33, sd 1/√3, half-width t(0.975, 2)/3 = 1.434.
        double half = SslVersusScratch.tQuantile(2) / 3;
        assertTrue(top.contains(String.format(Locale.ROOT, "| rotation | +10.33 [%+.2f, %+.2f] better (3) |",
                31.0 / 3 - half, 31.0 / 3 + half)), top);
        // Worth: 60.33 % between supervised's 50 % (n=100) and 70 % (n=1000): 100 · 10^(10.33/20).
        double worth = 100 * Math.pow(10, (181.0 / 3 - 50) / 20);
        assertTrue(top.contains(String.format(Locale.ROOT, "≈ %.0f (%.2g×) [", worth, worth / 100)), top);
        // Ranks at n=100: rotation first on every seed, certain win; supervised alone at n=10 and 1000.
        assertTrue(top.contains("| rotation | - | 1.00 · 1.00 | - |"), top);
        assertTrue(top.contains("| supervised | 1.00 · 1.00 | 2.00 · 0.00 | 1.00 · 1.00 |"), top);
        assertTrue(top.contains("- n=100 (3 seeds): rotation > supervised (+10.33 pts, p_holm "), top);
        assertTrue(top.contains("- n=10 (3 seeds): one method, nothing to compare"), top);
        // Cost: 3 pretext runs of 30, 31, 32 s at 1000 img/s; downstream 13 s per cell at n=100.
        assertTrue(top.contains("| rotation | 3 | 31.0 | 1000 | - | 13.0 | - |"), top);
        assertTrue(top.contains("| supervised | 0 | - | - | 12.1 | 13.0 | 22.0 |"), top);
        // The long tables come after the leaderboard.
        assertTrue(md.indexOf("## How the answer is computed") > md.indexOf("## Leaderboard"));
        assertTrue(md.contains("| cifar10 / resnet20 / finetune | rotation | 100 | 60.33 | 10, 100, 1000 | 30.00, 50.00,"
                + " 70.00 | 30.00, 50.00, 70.00 | ≈ "), md);
    }

    @Test
    void tooFewSeedsIsSaidNotJudged() throws IOException {
        List<CellResult> one = List.of(cell("supervised", 100, 0, 0.5), cell("rotation", 100, 0, 0.6));
        String md = render(write(one));
        assertTrue(md.contains("| rotation | +10.00 too few seeds (1) |"), md);
        assertTrue(md.contains("ranks are from a single seed; no resampling or test is possible"), md);
        assertTrue(md.contains("| rotation | 1.00 (1 seed) |"), md);
        // Two seeds whose 1-df interval includes 0 (d = 10, 12: 11 ± 12.71).
        List<CellResult> two = List.of(cell("supervised", 100, 0, 0.5), cell("rotation", 100, 0, 0.6),
                cell("supervised", 100, 1, 0.5), cell("rotation", 100, 1, 0.62));
        SslVersusScratch.Row r = SslVersusScratch.rows(two, Leaderboard.aggregate(two)).get(0);
        assertEquals("too few seeds", r.answer());
        assertTrue(r.ciLow() < 0 && r.ciHigh() > 0);
    }

    @Test
    void theAnswerFollowsTheIntervalNotTheNoiseBand() {
        // d = 0.35, 0.03, 0.02 points... with a mean over 2·sd/√n but an interval crossing 0.
        List<CellResult> cells = new ArrayList<>();
        double[] sup = {0.40, 0.40, 0.40};
        double[] rot = {0.43, 0.41, 0.45};
        for (int s = 0; s < 3; s++) {
            cells.add(cell("supervised", 100, s, sup[s]));
            cells.add(cell("rotation", 100, s, rot[s]));
        }
        SslVersusScratch.Row r = SslVersusScratch.rows(cells, Leaderboard.aggregate(cells)).get(0);
        // d = 3, 1, 5: mean 3, sd 2, noise band 2·2/√3 = 2.31 < 3 (compare: better), t half-width 4.30·2/√3 = 4.97.
        assertEquals(Verdict.BETTER, r.verdict());
        assertTrue(r.ciLow() < 0);
        assertEquals("inconclusive", r.answer());
    }

    @Test
    void reportWritesTheCsvsBesideReportMd() throws IOException {
        write(curve());
        Report.write(dir, null);
        assertTrue(Files.readString(dir.resolve(LabelWorth.FILE_NAME))
                .startsWith(String.join(",", LabelWorth.COLUMNS) + "\n"));
        List<String> worth = Files.readAllLines(dir.resolve(LabelWorth.FILE_NAME));
        assertEquals(2, worth.size());
        assertTrue(worth.get(1).contains(",10;100;1000,"), worth.get(1));
        assertTrue(worth.get(1).contains(",=,"), worth.get(1));
        List<String> ranks = Files.readAllLines(dir.resolve(MethodRanks.RANKS_FILE));
        assertEquals(String.join(",", MethodRanks.RANK_COLUMNS), ranks.get(0));
        assertEquals(5, ranks.size()); // supervised at 3 counts, rotation at 1
        List<String> pairs = Files.readAllLines(dir.resolve(MethodRanks.PAIRWISE_FILE));
        assertEquals(String.join(",", MethodRanks.PAIRWISE_COLUMNS), pairs.get(0));
        assertEquals(2, pairs.size());
        assertTrue(pairs.get(1).endsWith(",a better") || pairs.get(1).endsWith(",b better"), pairs.get(1));
        assertTrue(Files.readString(dir.resolve(SslVersusScratch.FILE_NAME)).contains(",better\n"));
        // Reproducible: a second report gives the same numbers.
        String first = Files.readString(dir.resolve(MethodRanks.RANKS_FILE)) + Files.readString(
                dir.resolve(LabelWorth.FILE_NAME));
        Report.write(dir, null);
        assertEquals(first, Files.readString(dir.resolve(MethodRanks.RANKS_FILE)) + Files.readString(
                dir.resolve(LabelWorth.FILE_NAME)));
    }

    @Test
    void theConsoleGetsTheShortVersion() throws IOException {
        List<CellResult> cells = curve();
        write(cells);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Answer.print(cells, Leaderboard.aggregate(cells), dir, new PrintStream(out, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("  cifar10 / resnet20 / finetune:"), text);
        assertTrue(text.contains("    rotation n=100: Δ +10.33 ["), text);
        assertTrue(text.contains("better (3); worth ≈ "), text);
        assertTrue(text.contains("    n=100 best mean rank: rotation 1.00 · 1.00; rotation > supervised"), text);
        assertTrue(text.contains("    cost rotation: pretext 31.0 s, 1000 img/s"), text);
        assertFalse(text.contains("cost supervised"), text);
        ByteArrayOutputStream empty = new ByteArrayOutputStream();
        Answer.print(List.of(), Leaderboard.aggregate(List.of()), dir, new PrintStream(empty, true,
                StandardCharsets.UTF_8));
        assertEquals("", empty.toString(StandardCharsets.UTF_8));
    }
}
