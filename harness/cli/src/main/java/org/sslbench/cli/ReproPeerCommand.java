package org.sslbench.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.sslbench.data.DataException;
import org.sslbench.plugin.PluginConflictException;
import org.sslbench.results.CellsCsv;
import org.sslbench.run.Registries;
import org.sslbench.spec.Spec;
import org.sslbench.spec.SpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sslbench repro-peer}: runs a rotation spec's fine-tune cells again in an independent
 * PyTorch implementation ({@link PeerRepro}) and prints ours vs the peer per label count and
 * method, final and max over epochs, with the paired noise verdict. Needs our completed cells
 * (run {@code bench} first; refused with exit 2 otherwise). Peer cells already finished by the
 * same script are kept, so a stopped run resumes. Exit codes: 0 every cell compared, 1 the peer
 * failed or stopped (finished cells are kept), 2 bad input (spec the peer does not implement,
 * missing results of ours, data, python that cannot start).
 */
@Command(name = "repro-peer", mixinStandardHelpOptions = true,
        description = "Run a rotation spec's fine-tune cells in the PyTorch peer (bench/peers/rotation_cifar10.py)"
                + " and compare with ours -> <results>/peer/cells.csv, leaderboard.csv")
final class ReproPeerCommand implements Callable<Integer> {
    @Mixin
    SpecOptions options;

    @Option(names = "--peer", paramLabel = "SCRIPT", description = "the peer script (default: " + PeerRepro.DEFAULT_SCRIPT + ")")
    Path peer = Path.of(PeerRepro.DEFAULT_SCRIPT);

    @Option(names = "--python", description = "the interpreter that has PyTorch (make passes PYTHON)", defaultValue = "python3")
    String python;

    @Option(names = "--threads", paramLabel = "N", description = "torch intra-op threads (0 = all cores)", defaultValue = "0")
    int threads;

    @Option(names = "--no-run", description = "only import finished peer cells and print the comparison")
    boolean noRun;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        try {
            if (options.pluginsFlagMissing()) {
                return Main.BAD_INPUT;
            }
            SpecOptions.Loaded loaded = options.load(out);
            Registries registries = loaded.registries();
            Spec spec = loaded.spec();
            PeerRepro.Plan plan = PeerRepro.plan(spec, registries);
            if (!Files.isRegularFile(peer)) {
                System.err.println("sslbench: repro-peer: peer script " + peer + " not found; run from the repository root"
                        + " or pass --peer");
                return Main.BAD_INPUT;
            }
            String sha = PeerRepro.sha256(peer);
            Files.createDirectories(plan.peerDir().resolve(PeerRepro.OUT_DIR));
            CellsCsv peerCells = CellsCsv.open(plan.peerDir());
            peerCells.warnings().forEach(w -> out.println("warning: " + w));
            // Cells an earlier, stopped run finished but did not import yet.
            PeerRepro.importOutputs(plan, peerCells, peer, sha).forEach(n -> out.println("note: " + n));
            List<PeerRepro.PlannedCell> pending = plan.cells().stream().filter(c -> !PeerRepro.done(peerCells, c, sha)).toList();
            plan.skipped().forEach(s -> out.println("note: " + s));
            out.printf("repro-peer %s: %d fine-tune cells, %d already done by this peer script in %s%n", spec.name(),
                    plan.cells().size(), plan.cells().size() - pending.size(), plan.peerDir().resolve(CellsCsv.FILE_NAME));
            int code = Main.OK;
            if (!pending.isEmpty() && !noRun) {
                Path pool = PeerRepro.writePool(plan);
                Path config = plan.peerDir().resolve(PeerRepro.CONFIG_FILE);
                PeerRepro.writeJson(config, PeerRepro.config(plan, pending, pool, threads));
                long t0 = System.nanoTime();
                int exit = runPeer(config, out);
                out.printf("peer wall time: %.1f min%n", (System.nanoTime() - t0) / 6e10);
                PeerRepro.importOutputs(plan, peerCells, peer, sha).forEach(n -> out.println("note: " + n));
                if (exit != 0) {
                    System.err.println("sslbench: repro-peer: the peer exited with code " + exit + "; its finished cells are kept"
                            + " in " + plan.peerDir().resolve(CellsCsv.FILE_NAME) + " and a rerun continues from there");
                    code = Main.CELLS_FAILED;
                }
            }
            PeerRepro.writeLeaderboard(plan, peerCells);
            long missing = plan.cells().stream().filter(c -> !PeerRepro.done(peerCells, c, sha)).count();
            if (missing > 0) {
                out.printf("%d of %d cells have no peer result yet%s%n", missing, plan.cells().size(),
                        noRun ? " (--no-run)" : "");
                if (!noRun) {
                    code = Main.CELLS_FAILED;
                }
            }
            String torch = peerCells.rows().stream().map(r -> r.provenance().tfVersion()).filter(v -> v.startsWith("torch "))
                    .map(v -> v.substring(6)).reduce((a, b) -> b).orElse("");
            out.println();
            out.print(PeerRepro.comparison(plan, peerCells, sha));
            out.println();
            out.print(PeerRepro.sides(plan, torch, sha));
            out.println("results: " + plan.peerDir().resolve(CellsCsv.FILE_NAME) + ", " + plan.peerDir().resolve("leaderboard.csv")
                    + "; make compare A=" + plan.results() + " B=" + plan.peerDir());
            return code;
        } catch (PeerRepro.Refused e) {
            System.err.println("sslbench: " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (PluginConflictException | SpecException | DataException | IOException | java.io.UncheckedIOException e) {
            return BadInput.report(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.err.println("sslbench: repro-peer interrupted");
            return Main.CELLS_FAILED;
        }
    }

    /**
     * Runs {@code python peer config}, echoing its output line by line (its progress per epoch).
     *
     * @return the peer's exit code
     * @throws IOException naming the interpreter when it cannot be started
     */
    private int runPeer(Path config, PrintStream out) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(python, peer.toString(), config.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot start " + python + " for the peer (" + e.getMessage() + "); pass the interpreter that has"
                    + " PyTorch with --python (make repro-peer PYTHON=...; Debian: apt-get install python3-torch)", e);
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                out.println(line);
            }
        } finally {
            if (p.isAlive()) {
                p.destroy();
            }
        }
        return p.waitFor();
    }
}
