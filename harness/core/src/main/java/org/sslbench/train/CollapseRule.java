package org.sslbench.train;

import java.util.Locale;

/**
 * When a pretext embedding counts as collapsed (status {@code collapsed}, org.sslbench.results.Status).
 *
 * <p><b>Rule.</b> After the last pretext epoch the {@link PretextMonitor} computes eval-mode
 * encoder features of its fixed monitor images (n rows, the backbone's feature dimension dim) and
 * their {@link RankMe}. RankMe lies in [1, min(n, dim)]; the run is collapsed when
 * RankMe &lt; {@value #FRACTION} × min(n, dim) <em>and</em> the monitor's kNN accuracy is no
 * better than that of the untrained (randomly initialised) encoder on the same images: a low rank
 * alone also marks encoders that still classify well (a fresh-user check found invariance-only
 * VICReg runs at RankMe 3.9–5.5 with a monitor kNN of 55–62 %, as good as rotation's), and a
 * false flag would drop a working method from the answer. With the default monitor (100 images per class,
 * 1,000 rows for 10 classes) n ≥ dim for every built-in backbone, so the threshold is a share of
 * the feature dimension: 6.4 of small-cnn's 128, 3.2 of resnet20's 64, 25.6 of resnet18's 512.
 *
 * <p><b>Measured</b> (embedded Fashion-MNIST, 5k unlabeled images, small-cnn, batch 256, Adam 1e-3
 * cosine, 4 epochs, seed 0; encoder RankMe on the default monitor's 1,000 images, per epoch):
 * rotation 10.7, 14.0, 13.3, 13.2 (monitor kNN 61 %); SimCLR 32.7, 31.3, 29.6, 29.3 (kNN 66–69 %);
 * VICReg 25/25/1 36.5, 27.6, 26.9, 27.1 (kNN 66–67 %); VICReg with only the invariance term
 * (mu = nu = 0) 11.6, 7.5, 7.2, 7.1 (kNN 52–54 %), and with lr 3e-3 on a 1k pool 5.8, 5.5 (the
 * end-to-end test's run, flagged). With resnet20 (10k pool, batch 128, 4 epochs) rotation
 * 9.1–9.5 (kNN 51–57 %) and invariance-only VICReg 8.7 → 8.2 (kNN 36 %): BatchNorm in the encoder
 * keeps its features from collapsing, so that run is not flagged (only ranked low). The threshold
 * 0.05 × min(n, dim) leaves the lowest healthy run, rotation, 1.7× above it (small-cnn) and 2.9×
 * (resnet20): a false flag would drop a working method from the answer, while a degraded one still
 * shows its low accuracy. Rotation's encoder is the lowest healthy one: its ReLU features share a
 * large common direction, which RankMe (uncentred, as in the paper) counts.
 *
 * <p>The encoder features, not the projector output the per-epoch {@code rankme} column reports,
 * are judged: they are what every downstream protocol uses, and their RankMe is measured on the
 * same fixed images for every method, epoch and batch size.
 */
public final class CollapseRule {
    /** Share of min(n, dim) below which the encoder's effective rank means collapse. */
    public static final double FRACTION = 0.05;

    private CollapseRule() {
    }

    /** The threshold for an embedding of {@code rows} × {@code dim}: {@link #FRACTION} × min(rows, dim). */
    public static double threshold(int rows, int dim) {
        return FRACTION * Math.min(rows, dim);
    }

    /** True when {@code rankMe} (finite) is below {@link #threshold}; false for NaN (not measured). */
    public static boolean lowRank(double rankMe, int rows, int dim) {
        return rankMe < threshold(rows, dim);
    }

    /**
     * The verdict: a low rank ({@link #lowRank}) and a monitor kNN accuracy no better than the
     * untrained encoder's ({@code untrainedKnn}, the random initialisation the {@code supervised}
     * baseline evaluates): pretraining squeezed the features onto a few directions and lost the
     * information a random encoder keeps. A low-rank encoder that classifies better than a random
     * one is not flagged. With either accuracy unknown (NaN: a checkpoint written before the
     * reference was stored) there is no verdict: a low rank alone never excludes a method.
     */
    public static boolean collapsed(double rankMe, int rows, int dim, double knn, double untrainedKnn) {
        return lowRank(rankMe, rows, dim) && knn <= untrainedKnn;
    }

    /** The status detail of a collapsed run, e.g. {@code encoder RankMe 5.5 < 6.4 = 0.05 x min(1000 images, 128 dims) ...}. */
    public static String detail(double rankMe, int rows, int dim, double knn, double untrainedKnn) {
        return String.format(Locale.ROOT, "collapsed: encoder RankMe %.1f < %.1f = %s x min(%d images, %d dims)"
                + " on the monitor images; monitor kNN %.1f%%%s", rankMe, threshold(rows, dim),
                Double.toString(FRACTION), rows, dim, 100 * knn, Double.isNaN(untrainedKnn) ? ""
                        : String.format(Locale.ROOT, " <= the untrained encoder's %.1f%%", 100 * untrainedKnn));
    }
}
