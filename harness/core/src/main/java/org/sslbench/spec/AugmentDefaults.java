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
        return problem(pipelines, known, -1);
    }

    /**
     * As {@link #problem(List, Map)}, and also the multi-crop rules: {@code count} only when there are
     * several pipelines (one pipeline serves every view), {@code crop_max} at least {@code crop}, and
     * with several pipelines their counts (default 1) summing to {@code views}.
     *
     * @param views the method's view count with the params its pipelines were made for; below 1: not checked
     */
    public static String problem(List<Map<String, Object>> pipelines, Map<String, Class<?>> known, int views) {
        String p = keys(pipelines, known);
        if (p != null) {
            return p;
        }
        int sum = 0;
        for (int i = 0; i < pipelines.size(); i++) {
            Map<String, Object> pipeline = pipelines.get(i);
            String where = "augmentations() " + (pipelines.size() == 1 ? "pipeline" : "view " + (i + 1)) + ": ";
            Object count = pipeline.get("count");
            if (count != null && pipelines.size() == 1) {
                return where + "count needs several pipelines (a single pipeline already serves every view); remove it,"
                        + " or return one pipeline per group of views";
            }
            if (count != null && ((Number) count).intValue() < 1) {
                return where + "count must be > 0, got " + count;
            }
            sum += count == null ? 1 : ((Number) count).intValue();
            double crop = pipeline.get("crop") instanceof Number n ? n.doubleValue() : 0;
            if (pipeline.get("crop_max") instanceof Number max && crop > max.doubleValue()) {
                return where + "crop_max " + Range.format(max.doubleValue()) + " is below crop " + Range.format(crop)
                        + "; crop_max must be at least crop";
            }
        }
        if (views > 0 && pipelines.size() > 1 && sum != views) {
            return "augmentations() has " + pipelines.size() + " pipelines making " + sum + " views (the sum of their"
                    + " counts, default 1) but views() is " + views + "; return one pipeline per view, or set count so"
                    + " the counts sum to " + views;
        }
        return null;
    }

    private static String keys(List<Map<String, Object>> pipelines, Map<String, Class<?>> known) {
        for (int i = 0; i < pipelines.size(); i++) {
            String where = "augmentations() " + (pipelines.size() == 1 ? "pipeline" : "view " + (i + 1)) + ": ";
            for (Map.Entry<String, Object> e : pipelines.get(i).entrySet()) {
                Class<?> type = known.get(e.getKey());
                if (type == null) {
                    return where + Suggest.unknown("augmentation", e.getKey(), known.keySet());
                }
                Object v = e.getValue();
                boolean numberForDouble = type == Double.class && v instanceof Number;
                if (type == Integer.class && (v instanceof Long l && l == l.intValue() || v instanceof Short
                        || v instanceof Byte)) {
                    numberForDouble = true; // a whole number of another integer type is fine
                }
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
