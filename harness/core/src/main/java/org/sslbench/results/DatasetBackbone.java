package org.sslbench.results;

/** The scope of pretext plots, and what a reference table must share with a run to be compared. */
record DatasetBackbone(String dataset, String backbone) implements Comparable<DatasetBackbone> {
    static DatasetBackbone of(ResultKey k) {
        return new DatasetBackbone(k.dataset(), k.backbone());
    }

    @Override
    public int compareTo(DatasetBackbone o) {
        int c = dataset.compareTo(o.dataset);
        return c != 0 ? c : backbone.compareTo(o.backbone);
    }

    String title() {
        return dataset + " / " + backbone;
    }

    /** For file names: {@code dataset-backbone}. */
    String slug() {
        return Plots.slug(dataset) + "-" + Plots.slug(backbone);
    }
}
