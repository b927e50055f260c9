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
 * One configuration of a {@link Leaderboard}: statistics over the ok cells that repeat one
 * experiment (same {@link ResultKey}: method, dataset, backbone, protocol, n_labels, subset kind
 * and configuration id), over seeds for a stratified row, over predefined folds for a fold row.
 * Accuracies are fractions in [0, 1].
 *
 * @param rank      1 = best mean test accuracy among the current rows of the same (dataset, backbone,
 *                  protocol, n_labels, subset_kind); equal means share a rank (1, 1, 3);
 *                  {@link #UNRANKED} (written empty) when the row has no ok cell or is not in the
 *                  current spec ({@code current} = {@link #NOT_CURRENT})
 * @param subsetKind {@link CellResult#STRATIFIED}, {@link CellResult#FOLD}, or empty when unknown
 *                  (a leaderboard.csv written before the column existed)
 * @param nSeeds    ok cells averaged: one per seed for a stratified row, one per (seed, fold) for a fold row
 * @param nFailed   diverged + collapsed + failed cells of this configuration: counted, never averaged
 * @param seeds     distinct seeds of the ok cells, ascending (a seed appears once)
 * @param folds     a fold row's ok folds, ascending ({@code 0;1;…;9}); with several seeds one
 *                  {@code seed:fold} pair per ok cell; empty for a stratified row
 * @param stdTestAccuracy sample std (n−1); 0.0 when {@code nSeeds == 1} (read together with
 *                  n_seeds), NaN when 0
 * @param meanMaxTestAccuracy the test-selected mean ({@value #TEST_SELECTED}): mean over ok cells that
 *                         measured a max over epochs (each chosen on the test split: optimistic); NaN when none did
 * @param meanTestLoss     mean over ok cells that have the value; NaN when none has (e.g. knn)
 * @param meanPretextLoss  likewise; NaN for methods without pretext
 * @param methodParams     the method's effective params as cells.csv records them ({@code k=v;…})
 * @param configId         the configuration's identity (cells.csv config_id, or a {@code legacy-…} id)
 * @param current          {@link #CURRENT} when the configuration is the one of the spec last run into
 *                         the results directory, {@link #NOT_CURRENT} when it is not (an earlier
 *                         configuration kept for the record), empty when unknown
 * @param nStale           ok cells of the row computed by other code than the code that runs the
 *                         configuration now (current-configs.csv; a cell evaluated on a pretext
 *                         checkpoint trained by other code counts): still averaged and ranked, but
 *                         marked, see the README ("Results computed by other code"); 0 when unknown
 * @param seriesId         the configuration across label counts (config id without n_labels, from
 *                         the directory's configs.csv; for a configuration it does not know, a
 *                         {@code legacy-…} id of what the cells record): rows with equal ids are one
 *                         table line and one plotted curve
 * @param settings         what the configuration is, readable: {@code key=value;…} sorted by key,
 *                         everything its config id covers (method, params.*, pretext.*, dataset.*,
 *                         preprocess.*, protocol.*, n_labels, subset_kind); for a configuration not
 *                         in configs.csv only what cells.csv records (params.*, pretext.epochs,
 *                         protocol.train.epochs)
 * @param pretextDataset   the dataset whose unlabeled pool the configuration pretrained on when not the
 *                         evaluation dataset's own (cells.csv pretext_dataset); empty otherwise or unknown
 */
public record LeaderboardRow(
        String dataset, String backbone, String protocol, int nLabels, int rank, String method, String subsetKind,
        int nSeeds, int nFailed, List<Integer> seeds, String folds,
        double meanTestAccuracy, double stdTestAccuracy, double meanMaxTestAccuracy,
        double meanTestLoss, double meanPretextLoss, String methodParams, String configId, String current, int nStale,
        String seriesId, String settings, String pretextDataset) {

    public static final int UNRANKED = 0;
    /** {@code current} of a row whose configuration is in the spec last run. */
    public static final String CURRENT = "yes";
    /** {@code current} of a row whose configuration is not (an earlier run's). */
    public static final String NOT_CURRENT = "no";

    /** leaderboard.csv header, in file order. */
    public static final List<String> COLUMNS = List.of(
            "dataset", "backbone", "protocol", "n_labels", "rank", "method", "subset_kind",
            "n_seeds", "n_failed", "seeds", "folds",
            "mean_test_accuracy", "std_test_accuracy", "mean_test_selected_max_accuracy",
            "mean_test_loss", "mean_pretext_loss", "method_params", "config_id", "current", "n_stale",
            "series_id", "settings", "pretext_dataset");

    /**
     * The mean over seeds of cells.csv's {@value CellResult#TEST_SELECTED}: each seed's best epoch
     * chosen on the test split (optimistic; {@value #LEGACY_TEST_SELECTED} before issue 13).
     */
    public static final String TEST_SELECTED = "mean_test_selected_max_accuracy";
    /** {@link #TEST_SELECTED}'s name in every layout before issue 13. */
    public static final String LEGACY_TEST_SELECTED = "mean_max_test_accuracy";

    /** The header before the test-selected column was renamed (issue 13): still read. */
    public static final List<String> BEFORE_TEST_SELECTED = COLUMNS.stream()
            .map(c -> c.equals(TEST_SELECTED) ? LEGACY_TEST_SELECTED : c).toList();

    /** The header before pretext_dataset existed: still read (empty: the evaluation dataset's own pool). */
    public static final List<String> BEFORE_PRETEXT_DATASET = BEFORE_TEST_SELECTED.subList(0,
            BEFORE_TEST_SELECTED.indexOf("pretext_dataset"));

    /** The header before n_stale, series_id and settings existed: still read (0 and empty: unknown). */
    public static final List<String> UNDESCRIBED_COLUMNS = BEFORE_TEST_SELECTED.subList(0,
            BEFORE_TEST_SELECTED.indexOf("n_stale"));

    /**
     * The header before subset_kind, folds, method_params, config_id and current existed. Such a
     * file is still read (those come back empty: unknown), but its rows may pool configurations;
     * a results directory's cells.csv is the better source.
     */
    public static final List<String> LEGACY_COLUMNS = BEFORE_TEST_SELECTED.stream()
            .filter(c -> !List.of("subset_kind", "folds", "method_params", "config_id", "current", "n_stale",
                    "series_id", "settings", "pretext_dataset").contains(c))
            .toList();

    /**
     * Every older header still read: {@link #LEGACY_COLUMNS}, {@link #UNDESCRIBED_COLUMNS}, the one
     * with n_stale but without series_id and settings, the one with those but without n_stale, and
     * {@link #BEFORE_PRETEXT_DATASET}, and {@link #BEFORE_TEST_SELECTED} (all of them name the
     * test-selected column {@value #LEGACY_TEST_SELECTED}).
     */
    public static final List<List<String>> LEGACY_HEADERS = List.of(LEGACY_COLUMNS, UNDESCRIBED_COLUMNS,
            BEFORE_TEST_SELECTED.subList(0, BEFORE_TEST_SELECTED.indexOf("series_id")),
            BEFORE_PRETEXT_DATASET.stream().filter(c -> !c.equals("n_stale")).toList(), BEFORE_PRETEXT_DATASET,
            BEFORE_TEST_SELECTED);

    /** Whether {@code header} is {@link #COLUMNS} or one of {@link #LEGACY_HEADERS}. */
    public static boolean accepts(List<String> header) {
        return header.equals(COLUMNS) || LEGACY_HEADERS.contains(header);
    }

    /** As the canonical constructor with no stale cell and no series or settings (unknown). */
    public LeaderboardRow(
            String dataset, String backbone, String protocol, int nLabels, int rank, String method, String subsetKind,
            int nSeeds, int nFailed, List<Integer> seeds, String folds,
            double meanTestAccuracy, double stdTestAccuracy, double meanMaxTestAccuracy,
            double meanTestLoss, double meanPretextLoss, String methodParams, String configId, String current) {
        this(dataset, backbone, protocol, nLabels, rank, method, subsetKind, nSeeds, nFailed, seeds, folds,
                meanTestAccuracy, stdTestAccuracy, meanMaxTestAccuracy, meanTestLoss, meanPretextLoss, methodParams,
                configId, current, 0, "", "", "");
    }

    /** As the canonical constructor with the evaluation dataset's own pretext pool (pretext_dataset empty). */
    public LeaderboardRow(
            String dataset, String backbone, String protocol, int nLabels, int rank, String method, String subsetKind,
            int nSeeds, int nFailed, List<Integer> seeds, String folds,
            double meanTestAccuracy, double stdTestAccuracy, double meanMaxTestAccuracy,
            double meanTestLoss, double meanPretextLoss, String methodParams, String configId, String current, int nStale,
            String seriesId, String settings) {
        this(dataset, backbone, protocol, nLabels, rank, method, subsetKind, nSeeds, nFailed, seeds, folds,
                meanTestAccuracy, stdTestAccuracy, meanMaxTestAccuracy, meanTestLoss, meanPretextLoss, methodParams,
                configId, current, nStale, seriesId, settings, "");
    }

    public LeaderboardRow {
        dataset = text(dataset);
        backbone = text(backbone);
        protocol = text(protocol);
        method = text(method);
        subsetKind = text(subsetKind);
        folds = text(folds);
        methodParams = text(methodParams);
        configId = text(configId);
        current = text(current);
        seriesId = text(seriesId);
        settings = text(settings);
        pretextDataset = text(pretextDataset);
        seeds = List.copyOf(seeds);
        if (!List.of("", CURRENT, NOT_CURRENT).contains(current)) {
            throw new IllegalArgumentException("current: '" + current + "' is none of " + CURRENT + ", "
                    + NOT_CURRENT + " or empty");
        }
    }

    /** Whether this row is a fold row (predefined label folds). */
    public boolean isFold() {
        return CellResult.FOLD.equals(subsetKind);
    }

    /** Whether the row's configuration is known not to be the current spec's. */
    public boolean isOld() {
        return NOT_CURRENT.equals(current);
    }

    public LeaderboardRow withRank(int newRank) {
        return new LeaderboardRow(dataset, backbone, protocol, nLabels, newRank, method, subsetKind, nSeeds, nFailed,
                seeds, folds, meanTestAccuracy, stdTestAccuracy, meanMaxTestAccuracy, meanTestLoss, meanPretextLoss,
                methodParams, configId, current, nStale, seriesId, settings, pretextDataset);
    }

    public List<String> toRecord() {
        return List.of(
                dataset, backbone, protocol, number(nLabels), rank == UNRANKED ? "" : number(rank), method, subsetKind,
                number(nSeeds), number(nFailed), intList(seeds), folds,
                number(meanTestAccuracy), number(stdTestAccuracy), number(meanMaxTestAccuracy),
                number(meanTestLoss), number(meanPretextLoss), methodParams, configId, current, number(nStale),
                seriesId, settings, pretextDataset);
    }

    /** Parses a row of a file whose header {@link #accepts}. */
    public static LeaderboardRow fromRecord(CSVRecord r) {
        return new LeaderboardRow(
                r.get("dataset"), r.get("backbone"), r.get("protocol"), getInt(r, "n_labels"),
                r.get("rank").isBlank() ? UNRANKED : getInt(r, "rank"), r.get("method"), optional(r, "subset_kind"),
                getInt(r, "n_seeds"), getInt(r, "n_failed"), getIntList(r, "seeds"), optional(r, "folds"),
                getDouble(r, "mean_test_accuracy"), getDouble(r, "std_test_accuracy"),
                getDouble(r, r.isMapped(TEST_SELECTED) ? TEST_SELECTED : LEGACY_TEST_SELECTED), getDouble(r, "mean_test_loss"),
                getDouble(r, "mean_pretext_loss"), optional(r, "method_params"), optional(r, "config_id"),
                optional(r, "current"), r.isMapped("n_stale") ? getInt(r, "n_stale") : 0,
                optional(r, "series_id"), optional(r, "settings"), optional(r, "pretext_dataset"));
    }

    private static String optional(CSVRecord r, String column) {
        return r.isMapped(column) ? r.get(column) : "";
    }
}
