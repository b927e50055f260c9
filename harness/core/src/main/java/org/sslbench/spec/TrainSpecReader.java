package org.sslbench.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a training block (pretext, finetune, linear) on top of a base {@link TrainSpec}: every
 * key left out keeps the base's value, recursively. With the documented defaults as base this
 * applies defaults; with the global pretext as base it is the per-method deep merge. Errors point
 * at the block being read, so a bad global value is reported once, at {@code pretext}.
 */
final class TrainSpecReader {
    static final List<String> KEYS = List.of("epochs", "batch_size", "optimizer", "schedule", "augment");
    static final Set<String> OPTIMIZERS = Set.of("adam", "sgd");
    static final Set<String> SCHEDULES = Set.of("constant", "step", "cosine");
    private static final List<String> OPTIMIZER_KEYS = List.of("name", "lr", "momentum", "weight_decay", "nesterov");
    private static final List<String> SCHEDULE_KEYS = List.of("name", "warmup_epochs", "milestones", "factors");

    private final Map<String, Class<?>> augmentations;

    TrainSpecReader(Map<String, Class<?>> augmentations) {
        this.augmentations = augmentations;
    }

    /** {@code node} may be null (key absent): then the base is returned unchanged. */
    TrainSpec read(YNode node, TrainSpec base) throws SpecException {
        return read(node, base, List.of());
    }

    /** As {@link #read(YNode, TrainSpec)}, allowing {@code extraKeys} the caller reads itself. */
    TrainSpec read(YNode node, TrainSpec base, List<String> extraKeys) throws SpecException {
        if (node == null) {
            return base;
        }
        YMap m = node.map(keys(extraKeys), "key");
        // `augment` overrides its keys in every view's pipeline; `augment_views` then per view.
        Map<String, Object> augment = base.augment();
        List<Map<String, Object>> views = base.augmentViews();
        if (m.has("augment")) {
            if (views.isEmpty()) {
                augment = augment(m.get("augment"), augment);
            } else {
                List<Map<String, Object>> merged = new ArrayList<>();
                for (Map<String, Object> v : views) {
                    merged.add(augment(m.get("augment"), v));
                }
                views = List.copyOf(merged);
            }
        }
        if (m.has(AUGMENT_VIEWS)) {
            List<Map<String, Object>> perView = new ArrayList<>();
            List<YNode> items = m.get(AUGMENT_VIEWS).nonEmptyList();
            for (int i = 0; i < items.size(); i++) {
                Map<String, Object> start = views.isEmpty() ? augment : views.get(Math.min(i, views.size() - 1));
                perView.add(augment(items.get(i), start));
            }
            views = List.copyOf(perView);
        }
        return new TrainSpec(
                m.integer("epochs", base.epochs(), Range.POSITIVE),
                m.integer("batch_size", base.batchSize(), Range.POSITIVE),
                optimizer(m.get("optimizer"), base.optimizer()),
                schedule(m.get("schedule"), base.schedule()),
                augment, views);
    }

    /** Pretext blocks only: one augmentation map per view. */
    static final String AUGMENT_VIEWS = "augment_views";

    List<String> keys(List<String> extraKeys) {
        List<String> all = new ArrayList<>(KEYS);
        all.addAll(extraKeys);
        return all;
    }

    private OptimizerSpec optimizer(YNode node, OptimizerSpec base) throws SpecException {
        if (node == null) {
            return base;
        }
        YMap m = node.map(OPTIMIZER_KEYS, "key");
        return new OptimizerSpec(
                m.has("name") ? m.get("name").oneOf(OPTIMIZERS, "optimizer") : base.name(),
                m.number("lr", base.lr(), Range.POSITIVE),
                m.number("momentum", base.momentum(), Range.MOMENTUM),
                m.number("weight_decay", base.weightDecay(), Range.NON_NEGATIVE),
                m.bool("nesterov", base.nesterov()));
    }

    private ScheduleSpec schedule(YNode node, ScheduleSpec base) throws SpecException {
        if (node == null) {
            return base;
        }
        YMap m = node.map(SCHEDULE_KEYS, "key");
        String name = m.has("name") ? m.get("name").oneOf(SCHEDULES, "schedule") : base.name();
        double warmup = m.number("warmup_epochs", base.warmupEpochs(), Range.NON_NEGATIVE);
        if (!name.equals("step")) {
            for (String key : List.of("milestones", "factors")) {
                if (m.has(key)) {
                    throw m.get(key).error("only schedule 'step' takes " + key + ", this one is '" + name + "'");
                }
            }
            // Milestones a base step schedule had mean nothing here; dropping them keeps hashes honest.
            return new ScheduleSpec(name, warmup, List.of(), List.of());
        }
        List<Integer> milestones = m.has("milestones") ? milestones(m.get("milestones")) : base.milestones();
        List<Double> factors = m.has("factors") ? factors(m.get("factors")) : base.factors();
        if (milestones.isEmpty()) {
            throw m.at("milestones").error("schedule 'step' needs milestones, e.g. milestones: [80, 120]");
        }
        if (factors.size() != milestones.size()) {
            throw m.at("factors").error("schedule 'step' needs one factor per milestone: "
                    + milestones.size() + " milestones, " + factors.size() + " factors");
        }
        return new ScheduleSpec(name, warmup, milestones, factors);
    }

    private static List<Integer> milestones(YNode node) throws SpecException {
        List<Integer> out = new ArrayList<>();
        for (YNode item : node.nonEmptyList()) {
            int epoch = item.integer(Range.POSITIVE);
            if (!out.isEmpty() && epoch <= out.get(out.size() - 1)) {
                throw item.error("milestones must be strictly ascending: " + epoch + " after " + out.get(out.size() - 1));
            }
            out.add(epoch);
        }
        return List.copyOf(out);
    }

    private static List<Double> factors(YNode node) throws SpecException {
        List<Double> out = new ArrayList<>();
        for (YNode item : node.nonEmptyList()) {
            out.add(item.number(Range.POSITIVE));
        }
        return List.copyOf(out);
    }

    /** Merges key by key: a block that sets only {@code hflip} keeps the base's {@code shift}. */
    private Map<String, Object> augment(YNode node, Map<String, Object> base) throws SpecException {
        if (node == null) {
            return base;
        }
        Map<String, Object> out = new LinkedHashMap<>(base);
        for (YMap.Entry e : node.map(augmentations.keySet(), "augmentation").entries()) {
            out.put(e.key(), e.value().ofType(augmentations.get(e.key())));
        }
        return Collections.unmodifiableMap(out);
    }
}
