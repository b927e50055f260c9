package org.sslbench.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Protocols gained params and a kind (issue 15): both are left out of every hash when a protocol has
 * no params (finetune, linear, knn), so cells computed before keep their hashes, ids and settings.
 * The pinned values were computed by this spec on the commit before (dc79e41).
 */
class ProtocolHashPinTest {
    static final String SPEC = """
            name: pin
            datasets: [tiny]
            backbone: small-cnn
            methods: [supervised, rotation]
            labels: [20, 100]
            selection: labelled
            protocols:
              finetune: {epochs: 3, augment: {shift: 0.2}}
              linear: {selection: fixed, epochs: 4}
              knn: {k: [5, 10]}
            """;

    static List<String> identities() throws Exception {
        return MatrixTest.expand(SPEC).stream().flatMap(g -> g.cells().stream())
                .map(c -> c.cellHash() + " " + c.configId() + " " + c.seriesId() + " " + c.settings()).toList();
    }

    /** cell hash, config id, series id of every cell, in matrix order, as computed on dc79e41. */
    static final List<String> BEFORE = List.of(
            "1f1f03da38f47c31 dd704435c16c5467 bdc09b64c4108d17",
            "f64ecddc779bd955 ba8218792f4ba8b6 bdc09b64c4108d17",
            "52d33166f07fd606 d9d8d5fc6adb289c 3841456e556afb38",
            "0616506eaa7816b1 1880b41851920ef7 3841456e556afb38",
            "2d080744569a0ec1 92fd3a4e0537f14f c11f86bccba33acd",
            "c133449557e6b40d d39a6f29ee515923 c11f86bccba33acd",
            "3e90f45309d2c584 66280061a6e320ab 8ddfb5c2d94f3135",
            "ca1c080281d42741 871341d51a37781f 8ddfb5c2d94f3135",
            "598bcb9a457fc1b9 748c911dd613361b 51bd8b59c7c1ffd2",
            "8fb8647fb3958217 c999c50a83397192 51bd8b59c7c1ffd2",
            "1e4b10c03e2e4c2e 2902503696042494 3825b24681494572",
            "c40cc0369243f429 015b160517a3b978 3825b24681494572");

    @Test
    void finetuneLinearAndKnnCellsKeepTheirHashesIdsAndSettings() throws Exception {
        List<String> now = identities();
        assertEquals(BEFORE, now.stream().map(s -> s.substring(0, 50)).toList());
        // the settings summary too: no params, no kind for these protocols
        assertEquals("backbone=small-cnn;dataset.name=tiny;method=supervised;n_labels=20;preprocess.normalize=pixel_mean;protocol.eval_every=0;protocol.k=0;protocol.name=finetune;protocol.selection=labelled;protocol.temperature=0;protocol.train.augment.hflip=true;protocol.train.augment.shift=0.2;protocol.train.augment_views=[];protocol.train.batch_size=64;protocol.train.epochs=3;protocol.train.optimizer.lr=0.001;protocol.train.optimizer.momentum=0.9;protocol.train.optimizer.name=adam;protocol.train.optimizer.nesterov=false;protocol.train.optimizer.weight_decay=0;protocol.train.schedule.factors=[];protocol.train.schedule.milestones=[];protocol.train.schedule.name=constant;protocol.train.schedule.warmup_epochs=0;subset_kind=stratified", now.stream().map(s -> s.substring(51))
                .filter(s -> s.contains("protocol.name=finetune")).findFirst().orElseThrow());
    }
}
