package org.sslbench.matrix;

import java.util.Map;
import org.sslbench.spec.ProtocolSpec;

/** One result: a pretext group's encoder evaluated with one protocol on one label count. */
public final class Cell {
    private final PretextGroup group;
    private final ProtocolSpec protocol;
    private final int nLabels;
    private final String cellHash;

    Cell(PretextGroup group, ProtocolSpec protocol, int nLabels) {
        this.group = group;
        this.protocol = protocol;
        this.nLabels = nLabels;
        this.cellHash = ConfigHash.of(Map.of("pretext", group.pretextHash(), "protocol", protocol, "n_labels", nLabels));
    }

    public PretextGroup group() {
        return group;
    }

    public ProtocolSpec protocol() {
        return protocol;
    }

    public int nLabels() {
        return nLabels;
    }

    /** Identifies the result: equal hashes mean the same experiment, so a stored result can be reused. */
    public String cellHash() {
        return cellHash;
    }

    @Override
    public String toString() {
        return group.method().name() + "/" + group.dataset().name() + "/" + group.backbone() + "/seed" + group.seed()
                + "/" + protocol.name() + "/n" + nLabels + " [" + cellHash + "]";
    }
}
