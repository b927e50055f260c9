package org.sslbench.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Refuses settings that would be accepted and change the config hash but not the result: values
 * that never reach the computation for the block they end up in (issue 10, case 1). Runs on the
 * resolved (merged) training block, because only there is it known which values act: a step
 * milestone matters only if training reaches it, a jitter strength only if jitter is on.
 *
 * <p>Errors point at the value the user wrote: the first of {@code blocks} (most specific first,
 * e.g. a method's own {@code pretext}, then the global one) that sets it; a value that only a
 * default supplied is never blamed.
 */
final class EffectChecks {
    /** The colour-jitter strengths, which act only when {@code jitter} (its probability) is above 0. */
    static final List<String> JITTER_STRENGTHS = List.of("brightness", "contrast", "saturation", "hue");

    private EffectChecks() {
    }

    /**
     * @param blocks the YAML blocks merged into {@code train}, most specific first; null entries
     *               (blocks not written) are skipped
     */
    static void check(TrainSpec train, List<YNode> blocks) throws SpecException {
        milestones(train, blocks);
        schedule(train, blocks);
        if (train.augmentViews().isEmpty()) {
            jitter(train.augment(), -1, blocks);
            cropMax(train.augment(), -1, blocks);
        } else {
            for (int v = 0; v < train.augmentViews().size(); v++) {
                jitter(train.augmentViews().get(v), v, blocks);
                cropMax(train.augmentViews().get(v), v, blocks);
            }
        }
    }

    /** {@code crop_max} bounds the random resized crop's area, so without a crop it changes nothing. */
    private static void cropMax(Map<String, Object> augment, int view, List<YNode> blocks) throws SpecException {
        YNode given = written(blocks, view, "crop_max");
        if (given != null && augment.containsKey("crop_max") && number(augment, "crop") == 0) {
            throw given.error("crop_max bounds the area of the random resized crop, and this pipeline has no crop"
                    + " (crop is 0), so it has no effect; set crop, e.g. crop: 0.05, crop_max: 0.4 for multi-crop's"
                    + " local crops, or remove crop_max (to make the whole image smaller, use size alone)");
        }
    }

    /** A step milestone at or after the last epoch never changes the learning rate. */
    private static void milestones(TrainSpec train, List<YNode> blocks) throws SpecException {
        ScheduleSpec s = train.schedule();
        for (int i = 0; i < s.milestones().size(); i++) {
            int m = s.milestones().get(i);
            if (m >= train.epochs()) {
                YNode at = first(blocks, List.of("schedule", "milestones", i), List.of("schedule", "milestones"),
                        List.of("epochs"));
                throw at.error("milestone " + m + " is never reached in " + train.epochs() + " epochs (factor "
                        + Range.format(s.factors().get(i)) + " would apply from 0-based epoch " + m + " on), so it has"
                        + " no effect; use milestones below " + train.epochs() + " or train for more epochs");
            }
        }
    }

    /**
     * A schedule setting that leaves the learning rate exactly as another configuration would:
     * a step factor equal to the one in force before its milestone (1 before the first), which
     * makes e.g. {@code factors: [1.0]} the constant schedule under another hash; and a warm-up as
     * long as training, which ends the run before the named schedule (constant, step, cosine) ever
     * starts, so the name has no effect (LrSchedule).
     */
    private static void schedule(TrainSpec train, List<YNode> blocks) throws SpecException {
        ScheduleSpec s = train.schedule();
        double before = 1.0;
        for (int i = 0; i < s.factors().size(); i++) {
            double f = s.factors().get(i);
            if (f == before) {
                YNode at = first(blocks, List.of("schedule", "factors", i), List.of("schedule", "factors"),
                        List.of("schedule"));
                throw at.error("factor " + Range.format(f) + " at milestone " + s.milestones().get(i) + " equals the"
                        + " factor already in force (" + Range.format(before) + (i == 0 ? ", the base rate" : "")
                        + "), so this milestone does not change the learning rate and has no effect; use another"
                        + " factor (e.g. 0.1) or remove the milestone" + (s.factors().size() == 1
                        ? " (a step schedule without any change is the constant schedule: write name: constant)" : ""));
            }
            before = f;
        }
        if (s.warmupEpochs() > 0 && s.warmupEpochs() >= train.epochs()) {
            YNode at = first(blocks, List.of("schedule", "warmup_epochs"), List.of("epochs"), List.of("schedule"));
            throw at.error("warmup_epochs " + Range.format(s.warmupEpochs()) + " is not below the " + train.epochs()
                    + " epochs of training, so training ends during warm-up: the learning rate never reaches its"
                    + " base value and the '" + s.name() + "' schedule never starts; use warmup_epochs below "
                    + train.epochs() + " or train for more epochs");
        }
    }

    /** Augmentation keys that act only on colour images (Augmenter: no-ops on one channel). */
    static final List<String> COLOUR_ONLY = List.of("hue", "saturation", "grayscale");

    /**
     * Refuses a colour-only augmentation key (hue, saturation, grayscale) that the spec wrote when no
     * dataset of the spec has colour: on single-channel images it changes the pretext hash and
     * nothing else. A method's default recipe may carry such keys; only written values are blamed.
     *
     * @param trainBlocks every block that may hold {@code augment} / {@code augment_views}: the
     *                    global pretext, each method's pretext, each trained protocol (null = absent)
     * @param datasets    the spec's dataset names, for the message
     */
    static void colourOnGrayscale(List<YNode> trainBlocks, List<String> datasets) throws SpecException {
        for (YNode block : trainBlocks) {
            if (block == null) {
                continue;
            }
            List<YNode> pipelines = new ArrayList<>();
            pipelines.add(block.lookup("augment"));
            for (int v = 0; block.lookup(TrainSpecReader.AUGMENT_VIEWS, v) != null; v++) {
                pipelines.add(block.lookup(TrainSpecReader.AUGMENT_VIEWS, v));
            }
            for (YNode pipeline : pipelines) {
                for (String key : COLOUR_ONLY) {
                    YNode at = pipeline == null ? null : pipeline.lookup(key);
                    if (at != null) {
                        throw at.error(key + " acts only on colour images and has no effect here: every dataset of"
                                + " this spec (" + String.join(", ", datasets) + ") has a single channel; remove " + key
                                + " (brightness and contrast do act on grayscale images)");
                    }
                }
            }
        }
    }

    /**
     * Jitter strengths without jitter, or jitter without any strength, leave images as they are.
     * Only values the user wrote are refused: a method's default recipe may carry strengths that a
     * spec turns off with {@code jitter: 0}.
     */
    private static void jitter(Map<String, Object> augment, int view, List<YNode> blocks) throws SpecException {
        double jitter = number(augment, "jitter");
        boolean anyStrength = false;
        for (String key : JITTER_STRENGTHS) {
            anyStrength |= number(augment, key) > 0;
        }
        if (jitter == 0) {
            for (String key : JITTER_STRENGTHS) {
                YNode given = written(blocks, view, key);
                if (given != null && number(augment, key) > 0) {
                    throw given.error(key + " is a colour-jitter strength and has no effect while jitter (the"
                            + " probability of colour jitter) is 0 here; set jitter > 0, e.g. jitter: 0.8, or remove " + key);
                }
            }
        } else if (!anyStrength) {
            YNode given = written(blocks, view, "jitter");
            if (given != null) {
                throw given.error("jitter " + Range.format(jitter) + " has no effect while every strength ("
                        + String.join(", ", JITTER_STRENGTHS) + ") is 0 here; give at least one, e.g. brightness: 0.4");
            }
        }
    }

    /** Where {@code key} of view {@code view}'s pipeline (-1 = the shared one) was written, or null. */
    private static YNode written(List<YNode> blocks, int view, String key) {
        for (YNode block : blocks) {
            if (block == null) {
                continue;
            }
            YNode at = view >= 0 ? block.lookup(TrainSpecReader.AUGMENT_VIEWS, view, key) : null;
            if (at == null) {
                at = block.lookup("augment", key);
            }
            if (at != null) {
                return at;
            }
        }
        return null;
    }

    /** The first path (in order) that some block (in order) sets; else the first block itself. */
    @SafeVarargs
    private static YNode first(List<YNode> blocks, List<Object>... paths) {
        for (List<Object> path : paths) {
            for (YNode block : blocks) {
                YNode at = block == null ? null : block.lookup(path.toArray());
                if (at != null) {
                    return at;
                }
            }
        }
        List<YNode> written = new ArrayList<>(blocks);
        written.removeIf(b -> b == null);
        return written.get(0);
    }

    private static double number(Map<String, Object> augment, String key) {
        return augment.get(key) instanceof Number n ? n.doubleValue() : 0;
    }
}
