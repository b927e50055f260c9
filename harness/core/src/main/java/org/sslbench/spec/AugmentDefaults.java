package org.sslbench.spec;

import java.util.List;
import java.util.Map;

/**
 * Checks a method's own default augmentation pipelines ({@code Method#augmentations()}) as strictly
 * as a spec's {@code augment} block: every key must be an augmentation the harness knows
 * ({@link org.sslbench.train.Augmenter#KNOWN}), of its type, and inside the range a spec may set.
 * A typo such as {@code blurr} would otherwise be carried into every pretext run and silently do
 * nothing; at plugin load it skips the plugin by name with this message instead.
 */
public final class AugmentDefaults {
    private AugmentDefaults() {
    }

    /**
     * Null when every pipeline is valid, else what is wrong, e.g.
     * {@code augmentations() view 1: unknown augmentation 'blurr'; did you mean 'blur'? ...}.
     *
     * @param pipelines the method's pipelines: one for every view, or one per view
     * @param known     augmentation name → the Java type of its setting
     */
    public static String problem(List<Map<String, Object>> pipelines, Map<String, Class<?>> known) {
        for (int i = 0; i < pipelines.size(); i++) {
            String where = "augmentations() " + (pipelines.size() == 1 ? "pipeline" : "view " + (i + 1)) + ": ";
            for (Map.Entry<String, Object> e : pipelines.get(i).entrySet()) {
                Class<?> type = known.get(e.getKey());
                if (type == null) {
                    return where + Suggest.unknown("augmentation", e.getKey(), known.keySet());
                }
                Object v = e.getValue();
                boolean numberForDouble = type == Double.class && v instanceof Number;
                if (!numberForDouble && !type.isInstance(v)) {
                    return where + e.getKey() + " must be a " + type.getSimpleName() + ", got " + v
                            + (v == null ? "" : " (" + v.getClass().getSimpleName() + ")");
                }
                Range range = TrainSpecReader.AUGMENT_RANGES.get(e.getKey());
                if (range != null && v instanceof Number n && !range.contains(n.doubleValue())) {
                    return where + e.getKey() + " must be " + range.describe() + ", got " + Range.format(n.doubleValue());
                }
            }
        }
        return null;
    }
}
