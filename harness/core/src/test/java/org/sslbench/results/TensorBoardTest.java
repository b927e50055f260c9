package org.sslbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sslbench.evaluate.Outcome;
import org.junit.jupiter.api.io.TempDir;

/** TensorBoard event files written by TF's summary ops, read back by {@link TensorBoardScalars}. */
class TensorBoardTest {
    @TempDir
    Path tmp;

    @Test
    void scalarsReadBackWithTheirTagsStepsAndValues() throws IOException {
        Path dir = tmp.resolve("tb/run");
        try (TensorBoard tb = TensorBoard.open(dir)) {
            tb.scalar("pretext/loss", 1, 1.5);
            tb.scalar("pretext/loss", 2, 0.75);
            tb.scalar("pretext/rankme", 2, 12.25);
            tb.scalar("pretext/collapse_std", 2, Double.NaN); // not measured: left out
        }
        Map<String, List<String>> s = TensorBoardScalars.read(dir);
        assertEquals(List.of("1=1.5", "2=0.75"), s.get("pretext/loss"));
        assertEquals(List.of("2=12.25"), s.get("pretext/rankme"));
        assertFalse(s.containsKey("pretext/collapse_std"));
    }

    /** A cell's downstream scalars: per-epoch loss, lr, img/s, held-out accuracy; test accuracy once, at the last step. */
    @Test
    void downstreamScalarsOfACellReadBack() throws IOException {
        Outcome o = new Outcome(0.625, Double.NaN, 1.25, 2, 3.0, 100, "holdout 20%", "epochs=2", List.of(
                new Outcome.Epoch(1, 2.5, 0.01, 400, 0.5), new Outcome.Epoch(2, 1.75, 0.005, 500, 0.75)));
        DownstreamEvents.write(tmp, "rotation-cifar10-resnet20-finetune-n100-seed0-abc", "finetune", o);
        Map<String, List<String>> s = TensorBoardScalars.read(tmp.resolve("tensorboard/downstream/"
                + "rotation-cifar10-resnet20-finetune-n100-seed0-abc"));
        assertEquals(List.of("1=2.5", "2=1.75"), s.get("finetune/loss"));
        assertEquals(List.of("1=0.01", "2=0.005"), s.get("finetune/lr"));
        assertEquals(List.of("1=400.0", "2=500.0"), s.get("finetune/images_per_second"));
        assertEquals(List.of("1=0.5", "2=0.75"), s.get("finetune/holdout_accuracy"));
        assertEquals(List.of("2=0.625"), s.get("finetune/test_accuracy"));
        // kNN: no epochs, its test accuracy at step 1
        DownstreamEvents.write(tmp, "knn-cell", "knn", new Outcome(0.5, Double.NaN, Double.NaN, 0, 1, Double.NaN));
        assertEquals(Map.of("knn/test_accuracy", List.of("1=0.5")),
                TensorBoardScalars.read(tmp.resolve("tensorboard/downstream/knn-cell")));
    }

    /** A recomputed run replaces its event file: TensorBoard shows one curve per run directory. */
    @Test
    void reopeningARunDirectoryReplacesItsEventFile() throws IOException {
        Path dir = tmp.resolve("tb/run");
        try (TensorBoard tb = TensorBoard.open(dir)) {
            tb.scalar("pretext/loss", 1, 9.0);
        }
        try (TensorBoard tb = TensorBoard.open(dir)) {
            tb.scalar("pretext/loss", 1, 1.0);
        }
        try (var files = java.nio.file.Files.list(dir)) {
            assertEquals(1, files.count());
        }
        assertEquals(List.of("1=1.0"), TensorBoardScalars.read(dir).get("pretext/loss"));
    }
}
