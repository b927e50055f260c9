package org.sslbench.spec;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sslbench.data.DataException;
import org.sslbench.data.DatasetInfo;

/**
 * Checks that need more than one value or the world outside the file: label counts against each
 * dataset's classes and per-class pool, and directories that must exist. Run by the loader before
 * any work starts, so a spec that loads can run to the end.
 */
public final class SpecValidator {
    private SpecValidator() {
    }

    /**
     * Label counts resolved for every dataset of a loaded spec, keyed by dataset name: the input of
     * {@link org.sslbench.matrix.Matrix#expand}. Errors here carry no line (the spec is already
     * loaded); they happen only if the data changed since.
     */
    /** Dataset name → sizes of its predefined label folds, for specs with {@code labels.folds}; else empty. */
    public static Map<String, int[]> foldSizes(Spec spec, Catalog catalog) throws org.sslbench.data.DataException {
        Map<String, int[]> out = new LinkedHashMap<>();
        if (spec.labels().folds()) {
            for (var d : spec.datasets()) {
                out.put(d.name(), catalog.foldSizes(d, spec.dataDir()));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    public static Map<String, int[]> labelCounts(Spec spec, Catalog catalog) throws SpecException {
        List<YNode> datasets = new ArrayList<>();
        for (int i = 0; i < spec.datasets().size(); i++) {
            datasets.add(YNode.synthetic(spec.file(), "datasets[" + i + "]"));
        }
        String list = switch (spec.labels().kind()) {
            case COUNTS -> "labels";
            case PER_CLASS -> "labels.per_class";
            case FRACTIONS -> "labels.fractions";
        };
        List<YNode> labels = new ArrayList<>();
        for (int j = 0; j < spec.labels().values().size(); j++) {
            labels.add(YNode.synthetic(spec.file(), list + "[" + j + "]"));
        }
        return labelCounts(spec, catalog, datasets, labels, YNode.synthetic(spec.file(), "labels.uneven"));
    }

    /**
     * @param datasetNodes where each dataset is named, for describe failures
     * @param labelNodes   where each label value is, for counts a dataset cannot supply
     * @param unevenNode   where {@code labels.uneven} is (or would be), for an uneven that changes nothing
     */
    static Map<String, int[]> labelCounts(Spec spec, Catalog catalog, List<YNode> datasetNodes, List<YNode> labelNodes,
                                          YNode unevenNode) throws SpecException {
        Map<String, int[]> out = new LinkedHashMap<>();
        boolean unevenActs = false;
        for (int i = 0; i < spec.datasets().size(); i++) {
            String dataset = spec.datasets().get(i).name();
            DatasetInfo info;
            try {
                info = catalog.describe(spec.datasets().get(i), spec.dataDir());
            } catch (DataException e) {
                throw datasetNodes.get(i).error("dataset '" + dataset + "' cannot be read: " + e.getMessage());
            }
            int limit = spec.datasets().get(i).unlabeledLimit();
            if (limit > info.unlabeledSize()) {
                throw datasetNodes.get(i).error("unlabeled_limit " + limit + " is larger than the " + info.unlabeledSize()
                        + " unlabeled images of dataset '" + dataset + "'; use at most " + info.unlabeledSize() + " or 0 for all");
            }
            if (limit > 0 && limit == info.unlabeledSize()) {
                // The whole pool, as 0 is: same images, another hash.
                throw datasetNodes.get(i).error("unlabeled_limit " + limit + " is the whole unlabeled pool of dataset '"
                        + dataset + "', so it has no effect; remove it (0, the default, means all) or use fewer");
            }
            if (spec.labels().folds()) {
                int[] folds;
                try {
                    folds = catalog.foldSizes(spec.datasets().get(i), spec.dataDir());
                } catch (DataException e) {
                    throw datasetNodes.get(i).error("dataset '" + dataset + "' cannot be read: " + e.getMessage());
                }
                if (folds.length == 0) {
                    throw datasetNodes.get(i).error("labels ask for predefined folds but dataset '" + dataset
                            + "' defines none (STL-10 does); remove 'folds: true' or this dataset");
                }
            }
            int[] counts = spec.labels().resolve(info.classes(), info.trainSize());
            for (int j = 0; j < counts.length; j++) {
                checkCount(spec.labels(), j, counts, info, labelNodes.get(j));
                unevenActs |= counts[j] % info.classes() != 0;
            }
            out.put(dataset, counts);
        }
        if (spec.labels().uneven() && !unevenActs) {
            // A multiple of the class count gets the same subset either way (LabelSubsets.select).
            throw unevenNode.error("uneven: true has no effect: every label count is a multiple of the class count"
                    + " on every dataset (so each class gets the same number anyway); remove it");
        }
        return Collections.unmodifiableMap(out);
    }

    private static void checkCount(LabelSpec labels, int j, int[] counts, DatasetInfo info, YNode at)
            throws SpecException {
        int n = counts[j];
        int classes = info.classes();
        String value = shown(labels, j, n);
        String on = " on dataset '" + info.name() + "' (" + info.trainSize() + " labelled images, " + classes + " classes)";
        if (n <= 0) {
            // Only fractions can resolve to 0 (counts and per_class are > 0 where read).
            throw at.error(value + " resolves to no labels" + on + "; use a larger value"
                    + (labels.kind() != LabelSpec.Kind.FRACTIONS ? "" : ", at least fraction " + fraction(labels,
                    labels.uneven() ? 1 : classes, classes, info.trainSize(), true).stripTrailingZeros().toPlainString()
                    + (labels.uneven() ? " (1 label)" : " (" + classes + " labels, 1 per class)")));
        }
        if (n % classes != 0 && !labels.uneven()) {
            // Subsets are stratified: every class gets the same number of labels.
            int below = n / classes * classes;
            throw at.error(value + " is not divisible by " + classes + " classes of dataset '" + info.name()
                    + "'; use a multiple of " + classes + ", e.g. " + (below > 0 ? below + " or " : "") + (below + classes)
                    + ", or write labels: {counts: [...], uneven: true} to spread the remainder over classes");
        }
        int smallest = smallestClass(info);
        int perClass = (n + classes - 1) / classes;
        if (perClass > smallest) {
            throw at.error(value + " needs " + perClass + " per class but dataset '" + info.name()
                    + "' has only " + smallest + " labelled images in its smallest class" + smallestName(info)
                    + "; use at most " + largest(labels, smallest, classes, info.trainSize()));
        }
        for (int k = 0; k < j; k++) {
            if (counts[k] == n) {
                throw at.error(value + " resolves to the same count as " + shown(labels, k, n) + on);
            }
        }
    }

    /**
     * The largest label value a dataset can supply, in the unit the spec wrote: a total for
     * counts, per class for per_class, and for fractions the largest 3-digit fraction that
     * resolves to at most {@code smallest} per class (with the count it resolves to).
     */
    private static String largest(LabelSpec labels, int smallest, int classes, int trainSize) {
        return switch (labels.kind()) {
            case COUNTS -> Integer.toString(smallest * classes);
            case PER_CLASS -> smallest + " per class";
            case FRACTIONS -> {
                BigDecimal f = fraction(labels, smallest * classes, classes, trainSize, false);
                int n = resolved(labels, f, classes, trainSize);
                yield "fraction " + f.stripTrailingZeros().toPlainString() + " (" + n + " labels)";
            }
        };
    }

    /**
     * The fraction, to 3 significant digits, nearest to {@code labels / trainSize} that resolves
     * (LabelSpec#resolve, rounding down to whole per-class counts unless uneven) to at least
     * {@code labels} ({@code up}) or at most {@code labels} (not {@code up}); checked through
     * resolve itself, so the suggestion always does what it says.
     */
    static BigDecimal fraction(LabelSpec labels, int target, int classes, int trainSize, boolean up) {
        MathContext digits = new MathContext(3, up ? RoundingMode.CEILING : RoundingMode.FLOOR);
        // Without uneven, counts step by the class count: everything below the next step resolves to target.
        int next = target + (labels.uneven() ? 1 : classes);
        BigDecimal f = BigDecimal.valueOf(up ? target : next).divide(BigDecimal.valueOf(trainSize), MathContext.DECIMAL64)
                .round(digits);
        for (int i = 0; i < 100; i++) {
            int n = resolved(labels, f, classes, trainSize);
            if (up ? n >= target : n <= target && f.compareTo(BigDecimal.ONE) <= 0) {
                break;
            }
            f = up ? f.add(f.ulp()) : f.subtract(f.ulp());
        }
        return f;
    }

    private static int resolved(LabelSpec labels, BigDecimal f, int classes, int trainSize) {
        return new LabelSpec(LabelSpec.Kind.FRACTIONS, List.of(f.doubleValue()), labels.uneven())
                .resolve(classes, trainSize)[0];
    }

    /** How the user wrote a label value, with its resolved count where they differ. */
    private static String shown(LabelSpec labels, int j, int n) {
        String v = Range.format(labels.values().get(j));
        return switch (labels.kind()) {
            case COUNTS -> v + " labels";
            case PER_CLASS -> "per_class " + v + " (" + n + " labels)";
            case FRACTIONS -> "fraction " + v + " (" + n + " labels)";
        };
    }

    /** " ('dog')": the smallest class by name (the first of equals), or "" when sizes per class are unknown. */
    private static String smallestName(DatasetInfo info) {
        int[] perClass = info.trainPerClass();
        if (perClass == null || perClass.length != info.classes()) {
            return "";
        }
        int k = 0;
        for (int c = 1; c < perClass.length; c++) {
            if (perClass[c] < perClass[k]) {
                k = c;
            }
        }
        return " ('" + info.classNames().get(k) + "')";
    }

    private static int smallestClass(DatasetInfo info) {
        int[] perClass = info.trainPerClass();
        if (perClass == null || perClass.length == 0) {
            return info.trainSize() / info.classes();
        }
        int min = Integer.MAX_VALUE;
        for (int c : perClass) {
            min = Math.min(min, c);
        }
        return min;
    }

    /** A directory that must exist when given (null = not given). */
    static void checkDirectory(Path dir, YNode at) throws SpecException {
        if (dir == null || Files.isDirectory(dir)) {
            return;
        }
        throw at.error(dir + (Files.exists(dir) ? " is not a directory" : " does not exist"));
    }
}
