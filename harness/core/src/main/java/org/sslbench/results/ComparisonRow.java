package org.sslbench.results;

/**
 * One joined pair of entries: one configuration of side A with one of side B (or with one
 * published number when a reference lists a key more than once).
 *
 * @param key     side A's key (with its subset kind and config id)
 * @param keyB    side B's key: the same scope; its subset kind and config id may be empty (a reference)
 * @param metric  what was compared, the same on both sides: {@code final} or {@code max_over_epochs}
 * @param sourceA the reference source of side A; empty for a run (likewise sourceB)
 */
public record ComparisonRow(ResultKey key, ResultKey keyB, String metric, Sample a, Sample b, String sourceA,
                            String sourceB, NoiseTest.Judgement judgement) {

    /** The subset kind of the pair: A's, else B's; empty when neither side knows it. */
    public String subsetKind() {
        return key.subsetKind().isEmpty() ? keyB.subsetKind() : key.subsetKind();
    }
}
