package org.sslbench.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sslbench.data.DataException;
import org.sslbench.data.Dataset;
import org.sslbench.data.NonEmptySplits;
import org.sslbench.engine.Backbone;
import org.sslbench.engine.Checkpoint;
import org.sslbench.matrix.Matrix;
import org.sslbench.matrix.PretextGroup;
import org.sslbench.plugin.PluginConflictException;
import org.sslbench.results.CellResult;
import org.sslbench.results.CellsCsv;
import org.sslbench.run.BenchRunner;
import org.sslbench.run.Registries;
import org.sslbench.spec.Spec;
import org.sslbench.spec.SpecException;
import org.sslbench.spec.SpecValidator;
import org.sslbench.train.Normalizer;
import org.sslbench.transfer.EncoderWeights;
import org.sslbench.transfer.SavedModelExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sslbench export}: one pretrained encoder of a spec's results (a pretext checkpoint
 * {@code <results>/pretext/<hash>.ckpt}) as a TensorFlow SavedModel with its model card. The
 * encoder is picked by method, dataset, backbone and seed (whatever the spec leaves ambiguous), by
 * pretext hash or by checkpoint file; an ambiguous or empty choice lists the trained encoders.
 * Exit 2 on bad input (nothing written), 0 when exported.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a pretrained encoder of a spec's results as a TensorFlow SavedModel (input images"
                + " [N, H, W, C] float32 in [0, 1], output features [N, D], the spec's normalisation inside) with a model"
                + " card (model-card.md, model-card.json). Pick the encoder with --method/--dataset/--backbone/--seed, or"
                + " --pretext HASH or FILE.ckpt; when several trained encoders match they are listed."})
final class ExportCommand implements Callable<Integer> {
    @Mixin
    SpecOptions options;

    @Option(names = "--method", paramLabel = "NAME", description = "the pretraining method")
    String method;

    @Option(names = "--dataset", paramLabel = "NAME", description = "the dataset it was pretrained on")
    String dataset;

    @Option(names = "--backbone", paramLabel = "NAME", description = "the backbone")
    String backbone;

    @Option(names = "--seed", paramLabel = "N", description = "the seed")
    Integer seed;

    @Option(names = "--pretext", paramLabel = "HASH|FILE",
            description = "a pretext hash (or a unique prefix of one) or a checkpoint file <results>/pretext/<hash>.ckpt")
    String pretext;

    @Option(names = "--to", paramLabel = "DIR", description = "SavedModel directory to write (default:"
            + " <results>/export/<method>-<dataset>-<backbone>-seed<N>-<pretext hash>)")
    Path to;

    @Option(names = "--force", description = "replace an existing --to directory")
    boolean force;

    /** Bad input found while choosing or reading the encoder: printed, exit 2. */
    private static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    @Override
    public Integer call() {
        PrintStream out = System.out;
        try {
            if (options.pluginsFlagMissing()) {
                return Main.BAD_INPUT;
            }
            SpecOptions.Loaded loaded = options.load(out);
            SpecInput input = loaded.input();
            Registries registries = loaded.registries();
            Spec spec = loaded.spec();
            Path results = BenchRunner.outputDir(spec);
            List<PretextGroup> groups = Matrix.expand(spec, SpecValidator.labelCounts(spec, registries),
                    SpecValidator.foldSizes(spec, registries)).stream().filter(PretextGroup::pretrains).toList();
            Path checkpointFile;
            PretextGroup group;
            if (pretext != null && (pretext.endsWith(".ckpt") || Files.isRegularFile(Path.of(pretext)))) {
                checkpointFile = Path.of(pretext);
                group = byCheckpoint(checkpointFile, groups, input.displayName);
            } else {
                group = choose(groups, results, input.displayName);
                checkpointFile = checkpoint(results, group);
            }
            Checkpoint ckpt = readCheckpoint(checkpointFile);
            Backbone bb = registries.backboneRegistry().get(group.backbone());
            var ref = group.dataset();
            Dataset ds = NonEmptySplits.check(ref.name(),
                    registries.dataset(ref).load(spec.dataDir(), ref.unlabeledLimit()));
            // The statistics bench normalises this dataset with (BenchRunner: fitted on the labelled pool).
            Normalizer normalizer = Normalizer.fit(spec.preprocess().normalize(), ds.train());
            var shape = ds.train().shape();
            int dim;
            try (var net = new org.sslbench.engine.Net()) {
                dim = bb.create(new org.sslbench.engine.Layers(net), org.sslbench.train.PretextTrainer.ENCODER_SCOPE, shape)
                        .featureDim();
            }
            List<CellResult> cells = Files.exists(results.resolve(CellsCsv.FILE_NAME))
                    ? CellsCsv.open(results).rows().stream().filter(r -> r.pretextHash().equals(group.pretextHash())).toList()
                    : List.of();
            ModelCard card = new ModelCard(spec.name(), group.pretextHash(), checkpointFile.toString(),
                    EncoderWeights.sha256(checkpointFile), ckpt.metadata(), shape, dim, spec.preprocess().normalize(),
                    ref.name(), cells);
            Path dest = to != null ? to : results.resolve("export").resolve(group.method().name() + "-" + ref.name() + "-"
                    + group.backbone() + "-seed" + group.seed() + "-" + group.pretextHash());
            SavedModelExport.write(dest, bb, shape, ckpt.tensors(), normalizer,
                    Map.of("model-card.md", card.markdown(), "model-card.json", card.json()), force);
            out.printf(Locale.ROOT, "exported %s (%s on %s, %s, seed %d, pretext %s) to %s%n", group.method().name(),
                    group.method().name(), ref.name(), group.backbone(), group.seed(), group.pretextHash(), dest);
            out.printf(Locale.ROOT, "  input %s: float32 [N, %d, %d, %d] in [0, 1]; output %s: float32 [N, %d];"
                    + " normalisation %s inside%n", SavedModelExport.INPUT, shape.height(), shape.width(), shape.channels(),
                    SavedModelExport.OUTPUT, dim, spec.preprocess().normalize());
            out.println("  model card: " + dest.resolve("model-card.md"));
            return Main.OK;
        } catch (Refused e) {
            System.err.println("sslbench: export: " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (FileAlreadyExistsException e) {
            System.err.println("sslbench: export: " + e.getFile() + " " + e.getReason());
            return Main.BAD_INPUT;
        } catch (IllegalArgumentException e) {
            System.err.println("sslbench: export: " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (PluginConflictException | SpecException | DataException | IOException | java.io.UncheckedIOException e) {
            return BadInput.report(e);
        }
    }

    /** The one pretext run the selectors leave; refused, with the candidates listed, when none or several. */
    private PretextGroup choose(List<PretextGroup> groups, Path results, String specName) throws Refused {
        if (groups.isEmpty()) {
            throw new Refused("spec " + specName + " has no method with a pretext run, so no encoder to export");
        }
        List<PretextGroup> matching = new ArrayList<>();
        for (PretextGroup g : groups) {
            if ((method == null || g.method().name().equals(method)) && (dataset == null || g.dataset().name().equals(dataset))
                    && (backbone == null || g.backbone().equals(backbone)) && (seed == null || g.seed() == seed)
                    && (pretext == null || g.pretextHash().startsWith(pretext))) {
                matching.add(g);
            }
        }
        if (matching.isEmpty()) {
            throw new Refused("no pretext run of spec " + specName + " matches " + selectors() + "; its pretext runs:\n"
                    + list(groups, results));
        }
        List<PretextGroup> trained = matching.stream().filter(g -> Files.isRegularFile(checkpoint(results, g))).toList();
        if (trained.isEmpty()) {
            throw new Refused("no trained encoder in " + results.resolve("pretext") + " for " + selectors() + " (run make"
                    + " bench with this spec first, or pass --out with its results directory); the matching runs:\n"
                    + list(matching, results));
        }
        if (trained.size() > 1) {
            throw new Refused(trained.size() + " trained encoders match " + selectors() + "; choose one with --method,"
                    + " --dataset, --backbone, --seed or --pretext HASH:\n" + list(trained, results));
        }
        return trained.get(0);
    }

    /** The spec's pretext run a checkpoint file belongs to (its pretext_hash metadata). */
    private static PretextGroup byCheckpoint(Path file, List<PretextGroup> groups, String specName)
            throws Refused, IOException {
        Map<String, String> meta = readCheckpoint(file).metadata();
        String hash = meta.getOrDefault("pretext_hash", "");
        return groups.stream().filter(g -> g.pretextHash().equals(hash)).findFirst().orElseThrow(() -> new Refused(
                "checkpoint " + file + " (" + meta.getOrDefault("method", "?") + " on " + meta.getOrDefault("dataset", "?")
                        + ", " + meta.getOrDefault("backbone", "?") + ", seed " + meta.getOrDefault("seed", "?")
                        + ", pretext hash " + hash + ") is not a pretext run of spec " + specName
                        + "; pass the spec that trained it with --spec (its normalisation goes into the SavedModel)"));
    }

    private static Checkpoint readCheckpoint(Path file) throws Refused {
        if (!Files.isRegularFile(file)) {
            throw new Refused("checkpoint " + file + " does not exist");
        }
        try {
            return Checkpoint.read(file);
        } catch (IOException e) {
            throw new Refused(e.getMessage());
        }
    }

    private static Path checkpoint(Path results, PretextGroup g) {
        return results.resolve("pretext").resolve(g.pretextHash() + ".ckpt");
    }

    private String selectors() {
        List<String> s = new ArrayList<>();
        if (method != null) {
            s.add("--method " + method);
        }
        if (dataset != null) {
            s.add("--dataset " + dataset);
        }
        if (backbone != null) {
            s.add("--backbone " + backbone);
        }
        if (seed != null) {
            s.add("--seed " + seed);
        }
        if (pretext != null) {
            s.add("--pretext " + pretext);
        }
        return s.isEmpty() ? "(no selector)" : String.join(" ", s);
    }

    private static String list(List<PretextGroup> groups, Path results) {
        StringBuilder sb = new StringBuilder();
        for (PretextGroup g : groups) {
            sb.append(String.format(Locale.ROOT, "  --method %s --dataset %s --backbone %s --seed %d  (--pretext %s)%s%n",
                    g.method().name(), g.dataset().name(), g.backbone(), g.seed(), g.pretextHash(),
                    Files.isRegularFile(checkpoint(results, g)) ? "" : "  not trained yet"));
        }
        return sb.toString().stripTrailing();
    }
}
