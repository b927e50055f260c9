package org.sslbench.results;

/** Outcome of comparing side A with side B for one key; see {@link NoiseTest} for the rule. */
public enum Verdict {
    /** A is higher by more than the noise threshold. */
    BETTER("better"),
    /** A is lower by more than the noise threshold. */
    WORSE("worse"),
    /** The difference is within the noise threshold. */
    WITHIN_NOISE("within noise"),
    /**
     * No noise estimate: one value per side and no known spread, or a spread of exactly 0 (paired
     * differences all equal): the difference is shown, not judged.
     */
    NO_SPREAD("no spread"),
    /** A side has no value (e.g. every seed failed). */
    NO_VALUE("no value"),
    /**
     * A side's pretext run collapsed (status {@code collapsed}): its cells are evaluated but kept
     * out of every verdict, so it is named, not judged.
     */
    COLLAPSED("collapsed");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
