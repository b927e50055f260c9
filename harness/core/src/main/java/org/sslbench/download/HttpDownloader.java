package org.sslbench.download;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Downloads one file over HTTP(S) into a directory: into {@code name.part} first, resumed with an
 * HTTP {@code Range} request when a {@code .part} is already there, checked against the published
 * MD5, and only then renamed to {@code name}, so a file under its final name is always complete
 * and verified (when a checksum is published).
 */
public final class HttpDownloader {
    /** Connecting must succeed within this, so being offline is reported at once. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Response headers must arrive within this after connecting. */
    public static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    /** A body that delivers no byte for this long is abandoned (the {@code .part} is kept for resuming). */
    public static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);
    static final String PART = ".part";
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes\\s+\\*/(\\d+)");

    private final HttpClient client;
    private final Duration responseTimeout;
    private final Duration stallTimeout;
    private final PrintStream log;
    private final boolean progressBar;

    /**
     * @param log         where progress lines and notes go
     * @param progressBar a live bar (for terminals) instead of start/end lines
     */
    public HttpDownloader(PrintStream log, boolean progressBar) {
        this(CONNECT_TIMEOUT, RESPONSE_TIMEOUT, STALL_TIMEOUT, log, progressBar);
    }

    /** With other time limits (tests use short ones). */
    public HttpDownloader(Duration connectTimeout, Duration responseTimeout, Duration stallTimeout, PrintStream log,
                          boolean progressBar) {
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL).version(HttpClient.Version.HTTP_1_1).build();
        this.responseTimeout = responseTimeout;
        this.stallTimeout = stallTimeout;
        this.log = log;
        this.progressBar = progressBar;
    }

    /**
     * Makes {@code dir/file.name()} a complete copy of the remote file and returns its path. An
     * existing file with the right MD5 is kept without downloading; one with the wrong MD5 is
     * replaced.
     *
     * @throws UnreachableException when the server cannot be reached at all
     * @throws DownloadException    on HTTP errors, interrupted transfers (the {@code .part} is kept
     *                              for resuming) and checksum mismatches (the download is deleted)
     */
    public Path fetch(RemoteFile file, Path dir) throws DownloadException {
        Path target = dir.resolve(file.name());
        Path part = dir.resolve(file.name() + PART);
        try {
            Files.createDirectories(dir);
            if (Files.isRegularFile(target)) {
                if (file.md5() == null || Md5.of(target).equals(file.md5())) {
                    log.println("  " + target + " is already there" + (file.md5() == null ? "" : " (MD5 ok)"));
                    return target;
                }
                log.println("  " + target + " does not match its published MD5; downloading it again");
                Files.delete(target);
            }
            transfer(file, part, true);
            if (file.md5() != null) {
                String actual = Md5.of(part);
                if (!actual.equals(file.md5())) {
                    Files.deleteIfExists(part);
                    throw new DownloadException("MD5 mismatch for " + file.name() + " from " + file.uri() + ": expected "
                            + file.md5() + ", got " + actual + ". The download was deleted; run the command again to"
                            + " retry (if it keeps failing, something between you and the server alters the file).");
                }
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new DownloadException("cannot write " + part + ": " + e, e);
        }
    }

    /** Brings {@code part} to the full remote content, appending to what it holds when the server allows. */
    private void transfer(RemoteFile file, Path part, boolean mayRestart) throws DownloadException, IOException {
        long have = Files.isRegularFile(part) ? Files.size(part) : 0;
        if (file.size() >= 0 && have > file.size()) {
            Files.delete(part);
            have = 0;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(file.uri()).timeout(responseTimeout)
                .header("User-Agent", "sslbench").header("Accept-Encoding", "identity");
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> response = send(file, request.build());
        int status = response.statusCode();
        try (InputStream body = response.body()) {
            long start;
            long total;
            if (status == 206 && have > 0) {
                String range = response.headers().firstValue("Content-Range").orElse("");
                Matcher m = CONTENT_RANGE.matcher(range);
                if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                    throw new DownloadException(file.uri() + ": asked for bytes from " + have + " but got Content-Range '"
                            + range + "'; delete " + part + " and run again");
                }
                start = have;
                total = m.group(3).equals("*") ? file.size() : Long.parseLong(m.group(3));
                log.println("  resuming " + file.name() + " at " + mb(have) + " of " + mb(total));
            } else if (status == 200) {
                if (have > 0) {
                    log.println("  the server does not resume downloads; fetching " + file.name() + " from the start");
                }
                start = 0;
                total = response.headers().firstValueAsLong("Content-Length").orElse(file.size());
            } else if (status == 416 && have > 0) {
                // Nothing after `have`: either the .part is already complete, or it is not this file.
                Matcher m = UNSATISFIED_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
                if (m.matches() && Long.parseLong(m.group(1)) == have) {
                    return;
                }
                Files.delete(part);
                if (mayRestart) {
                    transfer(file, part, false);
                    return;
                }
                throw new DownloadException(file.uri() + ": HTTP 416 (range not satisfiable) for a fresh download");
            } else {
                throw new DownloadException(file.uri() + ": HTTP " + status + (status == 404 ? " (not found)" : ""));
            }
            if (total >= 0) {
                checkSpace(part, total - start);
            } else {
                log.println("  " + file.name() + ": size unknown");
            }
            copy(file, body, part, start, total);
        }
    }

    private HttpResponse<InputStream> send(RemoteFile file, HttpRequest request) throws DownloadException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            // Connection refused, unknown host, no route, connect or response timeout, TLS failure:
            // nothing arrived, so the remedy is the same: get the file some other way.
            throw new UnreachableException("cannot reach " + file.uri().getHost() + " for " + file.uri() + ": "
                    + reason(e) + " (" + describe(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownloadException("interrupted while connecting to " + file.uri(), e);
        }
    }

    /** Appends the body to {@code part} (from {@code start}), showing progress; keeps the part on failure. */
    private void copy(RemoteFile file, InputStream body, Path part, long start, long total)
            throws DownloadException, IOException {
        AtomicLong written = new AtomicLong(start);
        AtomicLong lastProgress = new AtomicLong(System.nanoTime());
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sslbench-download-watchdog");
            t.setDaemon(true);
            return t;
        });
        boolean[] stalled = {false};
        long stallNanos = stallTimeout.toNanos();
        ScheduledFuture<?> check = watchdog.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - lastProgress.get() > stallNanos) {
                stalled[0] = true;
                try {
                    body.close(); // makes the blocked read fail
                } catch (IOException ignored) {
                    // closing is all we can do
                }
            }
        }, Math.max(1, stallNanos / 4), Math.max(1, stallNanos / 4), TimeUnit.NANOSECONDS);
        long t0 = System.nanoTime();
        if (!progressBar) {
            log.println("  fetching " + file.name() + " (" + (total >= 0 ? mb(total) : "size unknown") + ") from " + file.uri());
        }
        ProgressBar bar = progressBar ? new ProgressBarBuilder().setTaskName(file.name()).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUnit("MB", 1_000_000).showSpeed().setUpdateIntervalMillis(500)
                .startsFrom(start, Duration.ZERO).build() : null;
        try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                start > 0 ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = body.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                written.addAndGet(n);
                lastProgress.set(System.nanoTime());
                if (bar != null) {
                    bar.stepTo(written.get());
                }
                if (total >= 0 && written.get() > total) {
                    break;
                }
            }
        } catch (IOException e) {
            if (!Files.isRegularFile(part)) {
                throw e;
            }
            throw interrupted(file, part, Files.size(part), total, stalled[0] ? "no data for " + stallTimeout.toSeconds()
                    + " s" : describe(e), e);
        } finally {
            check.cancel(false);
            watchdog.shutdownNow();
            if (bar != null) {
                bar.close();
            }
        }
        long size = Files.size(part);
        if (total >= 0 && size != total) {
            if (size > total) {
                Files.delete(part);
                throw new DownloadException(file.uri() + ": the server sent more than the " + total
                        + " bytes it announced; the download was deleted, run again");
            }
            throw interrupted(file, part, size, total, "connection closed early", null);
        }
        if (!progressBar) {
            double s = (System.nanoTime() - t0) / 1e9;
            log.printf(Locale.ROOT, "  %s: %s in %.1f s%n", file.name(), mb(size - start), s);
        }
    }

    private static DownloadException interrupted(RemoteFile file, Path part, long size, long total, String why,
                                                 Exception cause) {
        return new DownloadException("download of " + file.uri() + " stopped at " + mb(size)
                + (total >= 0 ? " of " + mb(total) : "") + " (" + why + "). " + part
                + " is kept: run the same command again to resume.", cause);
    }

    private static void checkSpace(Path part, long needed) throws DownloadException, IOException {
        long free = Files.getFileStore(part.toAbsolutePath().getParent()).getUsableSpace();
        if (free < needed) {
            throw new DownloadException("not enough disk space for " + part.getFileName() + ": it needs " + mb(needed)
                    + " more, " + mb(free) + " are free in " + part.toAbsolutePath().getParent());
        }
    }

    /** Why a request got no response, in words. */
    private String reason(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "host name not found (no network or no DNS?)";
            }
            if (t instanceof java.net.http.HttpConnectTimeoutException) {
                return "no connection within the connect timeout";
            }
            if (t instanceof java.net.http.HttpTimeoutException) {
                return "no response within " + responseTimeout.toSeconds() + " s";
            }
            if (t instanceof java.net.NoRouteToHostException) {
                return "no route to host";
            }
        }
        return e instanceof java.net.ConnectException ? "connection refused or failed" : "request failed";
    }

    /** Exception classes and messages along the cause chain (HttpClient wraps the useful one), repeats dropped. */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        String previous = null;
        for (Throwable t = e; t != null && sb.length() < 300; t = t.getCause() == t ? null : t.getCause()) {
            String part = t.getClass().getSimpleName()
                    + (t.getMessage() == null || t.getMessage().isBlank() ? "" : " " + t.getMessage());
            if (!part.equals(previous)) {
                sb.append(sb.length() > 0 ? ": " : "").append(part);
            }
            previous = part;
        }
        return sb.toString();
    }

    static String mb(long bytes) {
        return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
