package org.sslbench.data.folder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The decode loop of the caches: image indices 0..total-1 handed out one at a time to
 * {@code threads} threads (so a slow image never stalls a fixed share), each thread with its own
 * state (a decoder and buffers, which are not thread-safe), and a progress bar on a terminal.
 */
final class ParallelImages {
    /** Work on image {@code index} with this thread's {@code state}. */
    interface Work<S> {
        void run(S state, int index) throws IOException;
    }

    private ParallelImages() {
    }

    /**
     * @param task a progress bar's name; null for no bar (also when there is no terminal)
     * @throws IOException the first failure of any thread (the others are stopped), or an interruption
     */
    static <S> void run(int total, int threads, String task, Supplier<S> perThread, Work<S> work) throws IOException {
        ProgressBar bar = task != null && System.console() != null
                ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                        .setUpdateIntervalMillis(500).build() : null;
        ExecutorService exec = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "sslbench-decode");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger next = new AtomicInteger();
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int t = 0; t < Math.max(1, threads); t++) {
                jobs.add(exec.submit(() -> {
                    S state = perThread.get();
                    for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        work.run(state, i);
                        if (bar != null) {
                            bar.step();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : jobs) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while decoding", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } finally {
            exec.shutdownNow();
            if (bar != null) {
                bar.close();
            }
        }
    }
}
