package org.sslbench.run;

/**
 * One of {@code count} machines running a spec: it owns every {@code count}-th pretext group
 * (round-robin in the matrix's fixed order), so label counts and protocols that share a pretext
 * run stay on one machine and every group is run exactly once across the shards.
 *
 * @param index 0-based, below count (Slurm {@code --array=0-(n-1)}, Kubernetes' completion index)
 */
public record Shard(int index, int count) {
    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + "/" + count + ": need 0 <= i < n, e.g. 0/3, 1/3, 2/3");
        }
    }

    /** Parses {@code i/n}. */
    public static Shard parse(String text) {
        String[] parts = text.trim().split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("shard '" + text + "': expected i/n, e.g. 0/3");
        }
        try {
            return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("shard '" + text + "': expected whole numbers i/n, e.g. 0/3");
        }
    }

    public boolean owns(int groupIndex) {
        return groupIndex % count == index;
    }

    /** Sub-directory of the spec's results directory holding this shard's output. */
    public String directoryName() {
        return "shard-" + index + "-of-" + count;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
