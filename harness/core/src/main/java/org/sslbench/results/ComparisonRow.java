package org.sslbench.results;

/**
 * One joined key (one pair of entries when a reference lists a key more than once).
 *
 * @param metric  what was compared, the same on both sides: {@code final} or {@code max_over_epochs}
 * @param sourceA the reference source of side A; empty for a run (likewise sourceB)
 */
public record ComparisonRow(ResultKey key, String metric, Sample a, Sample b, String sourceA, String sourceB,
                            NoiseTest.Judgement judgement) {
}
