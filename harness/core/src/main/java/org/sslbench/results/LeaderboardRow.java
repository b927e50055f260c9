package org.sslbench.results;

import static org.sslbench.results.CsvValues.getDouble;
import static org.sslbench.results.CsvValues.getInt;
import static org.sslbench.results.CsvValues.getIntList;
import static org.sslbench.results.CsvValues.intList;
import static org.sslbench.results.CsvValues.number;
import static org.sslbench.results.CsvValues.text;

import java.util.List;
import org.apache.commons.csv.CSVRecord;

/**
 * One (method, dataset, backbone, protocol, n_labels) group of a {@link Leaderboard}: statistics
 * over its ok cells. Accuracies are fractions in [0, 1].
 *
 * @param rank      1 = best mean test accuracy within (dataset, backbone, protocol, n_labels);
 *                  equal means share a rank (1, 1, 3); {@link #UNRANKED} (written empty) when
 *                  the group has no ok seed
 * @param nSeeds    ok cells averaged
 * @param nFailed   diverged + failed cells: counted, never averaged
 * @param seeds     seeds of the ok cells, ascending
 * @param stdTestAccuracy sample std (n−1); 0.0 when {@code nSeeds == 1} (read together with
 *                  n_seeds), NaN when 0
 * @param meanTestLoss     mean over ok cells that have the value; NaN when none has (e.g. knn)
 * @param meanPretextLoss  likewise; NaN for methods without pretext
 */
public record LeaderboardRow(
        String dataset, String backbone, String protocol, int nLabels, int rank, String method,
        int nSeeds, int nFailed, List<Integer> seeds,
        double meanTestAccuracy, double stdTestAccuracy, double meanMaxTestAccuracy,
        double meanTestLoss, double meanPretextLoss) {

    public static final int UNRANKED = 0;

    /** leaderboard.csv header, in file order. */
    public static final List<String> COLUMNS = List.of(
            "dataset", "backbone", "protocol", "n_labels", "rank", "method",
            "n_seeds", "n_failed", "seeds",
            "mean_test_accuracy", "std_test_accuracy", "mean_max_test_accuracy",
            "mean_test_loss", "mean_pretext_loss");

    public LeaderboardRow {
        dataset = text(dataset);
        backbone = text(backbone);
        protocol = text(protocol);
        method = text(method);
        seeds = List.copyOf(seeds);
    }

    public LeaderboardRow withRank(int newRank) {
        return new LeaderboardRow(dataset, backbone, protocol, nLabels, newRank, method, nSeeds, nFailed, seeds,
                meanTestAccuracy, stdTestAccuracy, meanMaxTestAccuracy, meanTestLoss, meanPretextLoss);
    }

    public List<String> toRecord() {
        return List.of(
                dataset, backbone, protocol, number(nLabels), rank == UNRANKED ? "" : number(rank), method,
                number(nSeeds), number(nFailed), intList(seeds),
                number(meanTestAccuracy), number(stdTestAccuracy), number(meanMaxTestAccuracy),
                number(meanTestLoss), number(meanPretextLoss));
    }

    public static LeaderboardRow fromRecord(CSVRecord r) {
        return new LeaderboardRow(
                r.get("dataset"), r.get("backbone"), r.get("protocol"), getInt(r, "n_labels"),
                r.get("rank").isBlank() ? UNRANKED : getInt(r, "rank"), r.get("method"),
                getInt(r, "n_seeds"), getInt(r, "n_failed"), getIntList(r, "seeds"),
                getDouble(r, "mean_test_accuracy"), getDouble(r, "std_test_accuracy"),
                getDouble(r, "mean_max_test_accuracy"), getDouble(r, "mean_test_loss"),
                getDouble(r, "mean_pretext_loss"));
    }
}
