package org.sslbench.data.folder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sslbench.data.DataException;
import org.sslbench.data.Dataset;
import org.sslbench.data.DatasetInfo;
import org.sslbench.data.ImageShape;

class FolderDatasetTest {
    @TempDir
    Path tmp;

    private FolderSource source(Path train, Path test, Path unlabeled, boolean skip) {
        return new FolderSource(train, test, unlabeled, null, new ImageShape(8, 8, 3), Resize.CROP,
                FolderSource.DEFAULT_TEST_FRACTION, skip, tmp.resolve("cache"), List.of(), "");
    }

    private static FolderDatasetFactory factory(FolderSource src) {
        return new FolderDatasetFactory("mine", src, 2, null);
    }

    @Test
    void classFoldersBecomeSortedClassesWithTheirImagesAndExactPixels() throws Exception {
        Images.classFolders(tmp.resolve("train"), 3, "zebra", "ant", "moth");
        Images.classFolders(tmp.resolve("test"), 2, "zebra", "ant", "moth");
        FolderSource src = source(tmp.resolve("train"), tmp.resolve("test"), null, false);
        DatasetInfo info = factory(src).describe(null);
        assertEquals(List.of("ant", "moth", "zebra"), info.classNames());
        assertEquals(9, info.trainSize());
        assertEquals(6, info.testSize());
        assertEquals(9, info.unlabeledSize()); // no unlabeled directory: the train images
        Dataset ds = factory(src).load(null, 0);
        assertEquals(List.of("ant", "moth", "zebra"), ds.classNames());
        // train/ant/000.png is the first image: written with class index 1 ("ant" was second in the call).
        float[] px = new float[8 * 8 * 3];
        ds.train().readImage(0, px, 0);
        int rgb = Images.colour(1, 0);
        assertEquals((rgb >> 16) & 0xFF, Math.round(px[0] * 255));
        assertEquals((rgb >> 8) & 0xFF, Math.round(px[1] * 255));
        assertEquals(rgb & 0xFF, Math.round(px[2] * 255));
        assertEquals(0, ds.train().label(0));
        assertEquals(2, ds.train().label(8)); // zebra
        assertFalse(ds.unlabeled().labelled());
        assertEquals(9, ds.unlabeled().size());
    }

    @Test
    void aRerunReusesTheCacheAndAChangedOrAddedImageDecodesAgain() throws Exception {
        Images.classFolders(tmp.resolve("train"), 3, "a", "b");
        Images.classFolders(tmp.resolve("test"), 1, "a", "b");
        FolderSource src = source(tmp.resolve("train"), tmp.resolve("test"), null, false);
        FolderScan.Scan scan = FolderScan.scan("mine", src);
        FolderCache.Entry first = FolderCache.ensure("mine", scan, src, 2, null);
        assertFalse(first.reused());
        FolderCache.Entry again = FolderCache.ensure("mine", FolderScan.scan("mine", src), src, 2, null);
        assertTrue(again.reused());
        assertEquals(first.dir(), again.dir());
        // Same name and size, new content and time: decoded again, the old cache removed.
        Path changed = tmp.resolve("train/a/000.png");
        Images.write(Images.solid(8, 8, 0x123456), "png", changed);
        Files.setLastModifiedTime(changed, java.nio.file.attribute.FileTime.fromMillis(1_000_000L));
        FolderCache.Entry third = FolderCache.ensure("mine", FolderScan.scan("mine", src), src, 2, null);
        assertFalse(third.reused());
        assertFalse(Files.exists(first.dir()), "the superseded cache of the same folders is removed");
        float[] px = new float[192];
        factory(src).load(null, 0).train().readImage(0, px, 0);
        assertEquals(0x12, Math.round(px[0] * 255));
        Images.write(Images.solid(8, 8, 0), "png", tmp.resolve("train/b/new.png"));
        assertEquals(7, factory(src).load(null, 0).train().size());
        try (Stream<Path> s = Files.list(tmp.resolve("cache"))) {
            assertEquals(1, s.count(), "one cache per folder set, no temporary directories left");
        }
    }

    @Test
    void aDamagedCacheIsReplacedAndACacheAnotherRunPublishedFirstIsKept() throws Exception {
        Images.classFolders(tmp.resolve("train"), 3, "a", "b");
        Images.classFolders(tmp.resolve("test"), 1, "a", "b");
        FolderSource src = source(tmp.resolve("train"), tmp.resolve("test"), null, false);
        FolderCache.Entry first = FolderCache.ensure("mine", FolderScan.scan("mine", src), src, 2, null);
        try (var ch = java.nio.channels.FileChannel.open(first.dir().resolve("train.u8"), java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(10); // as a full disk or a killed copy would leave it
        }
        FolderCache.Entry rebuilt = FolderCache.ensure("mine", FolderScan.scan("mine", src), src, 2, null);
        assertFalse(rebuilt.reused());
        assertEquals(first.dir(), rebuilt.dir());
        assertEquals(6L * 8 * 8 * 3, Files.size(rebuilt.dir().resolve("train.u8")));
        // Two runs decoding at once: the second to finish finds the first's complete cache and keeps it.
        Path theirs = Files.createDirectory(tmp.resolve("theirs"));
        Files.writeString(theirs.resolve("x"), "mine");
        FolderCache.publish(theirs, rebuilt.dir(), d -> true);
        assertFalse(Files.exists(theirs));
        assertTrue(Files.exists(rebuilt.dir().resolve(FolderCache.MANIFEST)));
        assertEquals(6, factory(src).load(null, 0).train().size());
    }

    @Test
    void withoutATestDirectoryAStratifiedFixedPartOfTrainIsHeldOutAndNotPretrainedOn() throws Exception {
        Images.classFolders(tmp.resolve("train"), 10, "a", "b", "c");
        FolderSource src = source(tmp.resolve("train"), null, null, false);
        FolderScan.Scan s1 = FolderScan.scan("mine", src);
        assertTrue(s1.heldOut());
        assertArrayEquals(new int[] {8, 8, 8}, s1.trainPerClass());
        assertEquals(6, s1.test().size());
        Set<String> train = new HashSet<>(s1.train().stream().map(FolderScan.Item::relative).toList());
        assertTrue(s1.test().stream().noneMatch(i -> train.contains(i.relative())));
        assertEquals(s1.test(), FolderScan.scan("mine", src).test(), "the same split every time");
        Dataset ds = factory(src).load(null, 0);
        assertEquals(24, ds.unlabeled().size(), "the pool is the train part only");
        assertEquals(6, ds.test().size());
    }

    @Test
    void anUnlabeledTreeIsThePretextPool() throws Exception {
        Images.classFolders(tmp.resolve("train"), 2, "a", "b");
        Images.classFolders(tmp.resolve("test"), 1, "a", "b");
        Images.write(Images.solid(8, 8, 0xFF0000), "png", tmp.resolve("unl/x/y/deep.png"));
        Images.write(Images.solid(8, 8, 0x00FF00), "jpg", tmp.resolve("unl/top.jpg"));
        Images.write(Images.solid(8, 8, 0x0000FF), "png", tmp.resolve("unl/z.png"));
        Dataset ds = factory(source(tmp.resolve("train"), tmp.resolve("test"), tmp.resolve("unl"), false)).load(null, 0);
        assertEquals(3, ds.unlabeled().size());
        assertFalse(ds.unlabeled().labelled());
    }

    @Test
    void filesThatAreNotImagesAreSkippedAndCounted() throws Exception {
        Images.classFolders(tmp.resolve("train"), 2, "a", "b");
        Files.writeString(tmp.resolve("train/.DS_Store"), "x");
        Files.writeString(tmp.resolve("train/a/Thumbs.db"), "x");
        Files.writeString(tmp.resolve("train/b/README.txt"), "x");
        FolderScan.Scan scan = FolderScan.scan("mine", source(tmp.resolve("train"), null, null, false));
        assertEquals(4, scan.train().size() + scan.test().size());
        assertEquals(Set.of("train/.DS_Store", "train/a/Thumbs.db", "train/b/README.txt"), new HashSet<>(scan.skipped()));
        assertTrue(scan.summary().endsWith("; 3 files that are not images skipped, e.g. train/.DS_Store, train/a/Thumbs.db,"
                + " train/b/README.txt"), scan.summary());
    }

    @Test
    void aCorruptImageStopsTheLoadNamingItAndNothingIsCached() throws Exception {
        Images.classFolders(tmp.resolve("train"), 2, "a", "b");
        Images.classFolders(tmp.resolve("test"), 1, "a", "b");
        Path bad = tmp.resolve("train/b/broken.png");
        Files.write(bad, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3, 4, 5, 6, 7});
        FolderSource src = source(tmp.resolve("train"), tmp.resolve("test"), null, false);
        DataException e = assertThrows(DataException.class, () -> factory(src).load(null, 0));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("skip_unreadable"), e.getMessage());
        try (Stream<Path> s = Files.list(tmp.resolve("cache"))) {
            assertEquals(List.of(), s.toList(), "no cache and no temporary directory");
        }
    }

    @Test
    void aTruncatedJpegIsCorruptNotAGreyImage() throws Exception {
        Images.classFolders(tmp.resolve("train"), 2, "a", "b");
        Images.classFolders(tmp.resolve("test"), 1, "a", "b");
        Path whole = Images.write(Images.solid(64, 64, 0x3366CC), "jpg", tmp.resolve("whole.jpg"));
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = tmp.resolve("train/a/cut.jpg");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        DataException e = assertThrows(DataException.class,
                () -> factory(source(tmp.resolve("train"), tmp.resolve("test"), null, false)).load(null, 0));
        assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
    }

    @Test
    void skipUnreadableLeavesCorruptAndEmptyImagesOutAndListsThem() throws Exception {
        Images.classFolders(tmp.resolve("train"), 3, "a", "b");
        Images.classFolders(tmp.resolve("test"), 1, "a", "b");
        Path bad = tmp.resolve("train/a/bad.jpg");
        Files.writeString(bad, "not a jpeg");
        Path empty = Files.createFile(tmp.resolve("train/b/empty.png"));
        Dataset ds = factory(source(tmp.resolve("train"), tmp.resolve("test"), null, true)).load(null, 0);
        assertEquals(6, ds.train().size());
        assertEquals(2, ds.leftOut().size());
        assertTrue(ds.leftOut().stream().anyMatch(l -> l.startsWith(bad + ": ")), ds.leftOut().toString());
        assertTrue(ds.leftOut().stream().anyMatch(l -> l.startsWith(empty + ": empty file")), ds.leftOut().toString());
        int[] labels = ds.train().labels();
        assertEquals(3, Arrays.stream(labels).filter(l -> l == 0).count());
    }

    @Test
    void layoutMistakesAreRefusedNamingThePath() throws Exception {
        Images.classFolders(tmp.resolve("train"), 2, "a", "b");
        Files.createDirectories(tmp.resolve("train/c"));
        DataException empty = assertThrows(DataException.class,
                () -> FolderScan.scan("mine", source(tmp.resolve("train"), null, null, false)));
        assertTrue(empty.getMessage().contains(tmp.resolve("train/c") + " holds no images"), empty.getMessage());
        Files.delete(tmp.resolve("train/c"));

        DataException same = assertThrows(DataException.class,
                () -> FolderScan.scan("mine", source(tmp.resolve("train"), tmp.resolve("train/../train"), null, false)));
        assertTrue(same.getMessage().contains("is the train directory"), same.getMessage());
        Images.classFolders(tmp.resolve("test"), 1, "a", "x");
        DataException classes = assertThrows(DataException.class,
                () -> FolderScan.scan("mine", source(tmp.resolve("train"), tmp.resolve("test"), null, false)));
        assertTrue(classes.getMessage().contains("missing in test: b; only in test: x"), classes.getMessage());

        Path zero = Files.createFile(tmp.resolve("train/a/zero.png"));
        DataException zeroBytes = assertThrows(DataException.class,
                () -> FolderScan.scan("mine", source(tmp.resolve("train"), null, null, false)));
        assertTrue(zeroBytes.getMessage().contains(zero + " is empty file (0 bytes)"), zeroBytes.getMessage());
        Files.delete(zero);

        Path loose = Images.write(Images.solid(4, 4, 0), "png", tmp.resolve("train/loose.png"));
        DataException outside = assertThrows(DataException.class,
                () -> FolderScan.scan("mine", source(tmp.resolve("train"), null, null, false)));
        assertTrue(outside.getMessage().contains(loose + " is directly in the train directory"), outside.getMessage());
        Files.delete(loose);

        Files.createSymbolicLink(tmp.resolve("train/a/loop"), tmp.resolve("train"));
        DataException loop = assertThrows(DataException.class,
                () -> FolderScan.scan("mine", source(tmp.resolve("train"), null, null, false)));
        assertTrue(loop.getMessage().contains("symbolic-link loop at " + tmp.resolve("train/a/loop")), loop.getMessage());

        DataException missing = assertThrows(DataException.class,
                () -> FolderScan.scan("mine", source(tmp.resolve("nowhere"), null, null, false)));
        assertTrue(missing.getMessage().contains(tmp.resolve("nowhere") + " does not exist"), missing.getMessage());
    }

    /** Root reads every file whatever its permissions, so this runs only as another user (CI varies). */
    @Test
    void aFileWithoutReadPermissionIsNamed() throws Exception {
        Images.classFolders(tmp.resolve("train"), 3, "a", "b");
        Path locked = tmp.resolve("train/b/001.png");
        Files.setPosixFilePermissions(locked, java.util.Set.of());
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(locked), "running as root: permissions not enforced");
        DataException e = assertThrows(DataException.class,
                () -> FolderScan.scan("mine", source(tmp.resolve("train"), null, null, false)));
        assertTrue(e.getMessage().contains(locked + " is not readable (permissions)"), e.getMessage());
    }

    @Test
    void aBrokenSymbolicLinkIsAnUnreadableImage() throws Exception {
        Images.classFolders(tmp.resolve("train"), 3, "a", "b");
        Path link = Files.createSymbolicLink(tmp.resolve("train/a/gone.jpg"), tmp.resolve("nowhere.jpg"));
        DataException e = assertThrows(DataException.class,
                () -> FolderScan.scan("mine", source(tmp.resolve("train"), null, null, false)));
        assertTrue(e.getMessage().contains(link + " is a symbolic link that cannot be followed"), e.getMessage());
        FolderScan.Scan lenient = FolderScan.scan("mine", source(tmp.resolve("train"), null, null, true));
        assertEquals(1, lenient.unreadable().size());
        assertEquals(6, lenient.train().size() + lenient.test().size());
    }

    @Test
    void aListSavedWithAByteOrderMarkReads() throws Exception {
        Images.write(Images.solid(8, 8, 0xFF0000), "png", tmp.resolve("r.png"));
        Images.write(Images.solid(8, 8, 0xFF0000), "png", tmp.resolve("r2.png"));
        Path list = tmp.resolve("list.csv");
        Files.writeString(list, "\uFEFFpath,label\nr.png,red\nr2.png,red\n"); // Excel's "CSV UTF-8"
        FolderSource src = new FolderSource(null, null, null, list, new ImageShape(8, 8, 3), Resize.CROP, 0.5, false,
                tmp.resolve("cache"), List.of(), "");
        FolderScan.Scan scan = FolderScan.scan("mine", src);
        assertEquals(List.of("red"), scan.classes());
        assertEquals(2, scan.train().size() + scan.test().size());
    }

    @Test
    void anotherImageSizeOfTheSameFoldersKeepsItsOwnCache() throws Exception {
        Images.classFolders(tmp.resolve("train"), 2, "a", "b");
        Images.classFolders(tmp.resolve("test"), 1, "a", "b");
        FolderSource eight = source(tmp.resolve("train"), tmp.resolve("test"), null, false);
        FolderSource four = new FolderSource(eight.train(), eight.test(), null, null, new ImageShape(4, 4, 3), Resize.CROP,
                0.2, false, eight.cache(), List.of(), "");
        FolderCache.Entry a = FolderCache.ensure("mine", FolderScan.scan("mine", eight), eight, 1, null);
        FolderCache.Entry b = FolderCache.ensure("mine", FolderScan.scan("mine", four), four, 1, null);
        assertTrue(Files.exists(a.dir()) && Files.exists(b.dir()), "two specs reading the folders at two sizes");
        assertTrue(FolderCache.ensure("mine", FolderScan.scan("mine", eight), eight, 1, null).reused());
    }

    @Test
    void aClassWithOneImageCannotBeSplitIntoTrainAndTest() throws Exception {
        Images.classFolders(tmp.resolve("train"), 1, "a");
        Images.classFolders(tmp.resolve("train"), 3, "b");
        DataException e = assertThrows(DataException.class,
                () -> FolderScan.scan("mine", source(tmp.resolve("train"), null, null, false)));
        assertTrue(e.getMessage().contains("class 'a' has 1 image(s)"), e.getMessage());
    }

    @Test
    void aListGivesPathsLabelsAndSplitsRelativeToItsDirectory() throws Exception {
        Images.write(Images.solid(8, 8, 0xFF0000), "png", tmp.resolve("img/r1.png"));
        Images.write(Images.solid(8, 8, 0xFF0000), "png", tmp.resolve("img/r2.png"));
        Images.write(Images.solid(8, 8, 0x0000FF), "png", tmp.resolve("img/b1.png"));
        Images.write(Images.solid(8, 8, 0x0000FF), "png", tmp.resolve("img/b2.png"));
        Images.write(Images.solid(8, 8, 0x00FF00), "png", tmp.resolve("img/u.png"));
        Path list = tmp.resolve("list.csv");
        Files.writeString(list, "path,label,split\nimg/r1.png,red,train\nimg/b1.png,blue,train\nimg/r2.png,red,test\n"
                + "img/b2.png,blue,test\nimg/u.png,,unlabeled\n");
        FolderSource src = new FolderSource(null, null, null, list, new ImageShape(8, 8, 3), Resize.CROP, 0.2, false,
                tmp.resolve("cache"), List.of(), "");
        Dataset ds = factory(src).load(null, 0);
        assertEquals(List.of("blue", "red"), ds.classNames());
        assertEquals(2, ds.train().size());
        assertEquals(2, ds.test().size());
        assertEquals(1, ds.unlabeled().size());
        float[] px = new float[192];
        ds.unlabeled().readImage(0, px, 0);
        assertEquals(1f, px[1], 0f);

        Files.writeString(list, "path,label,split\nimg/r1.png,red,train\nimg/gone.png,blue,train\n");
        DataException missing = assertThrows(DataException.class, () -> FolderScan.scan("mine", src));
        assertTrue(missing.getMessage().contains("list.csv line 3: the file " + tmp.resolve("img/gone.png")), missing.getMessage());
        Files.writeString(list, "path,label,split\nimg/r1.png,red,train\nimg/r1.png,red,test\n");
        DataException both = assertThrows(DataException.class, () -> FolderScan.scan("mine", src));
        assertTrue(both.getMessage().contains("line 3: img/r1.png is listed in both the train and the test split"),
                both.getMessage());
        Files.writeString(list, "path,label\n\"img/r1.png,red\n");
        DataException quote = assertThrows(DataException.class, () -> FolderScan.scan("mine", src));
        assertTrue(quote.getMessage().contains("cannot read the image list " + list), quote.getMessage());
        Files.writeString(list, "file,class\nimg/r1.png,red\n");
        DataException header = assertThrows(DataException.class, () -> FolderScan.scan("mine", src));
        assertTrue(header.getMessage().contains("line 1: the header must be 'path,label'"), header.getMessage());
        Files.writeString(list, "path,label,split\nimg/r1.png,red,train\nimg/b1.png,blue,validation\n");
        DataException split = assertThrows(DataException.class, () -> FolderScan.scan("mine", src));
        assertTrue(split.getMessage().contains("line 3: split 'validation' is not one of train, test, unlabeled"),
                split.getMessage());
    }

    @Test
    void classesGivenInTheSpecFixTheLabelOrderAndMustMatchTheFolders() throws Exception {
        Images.classFolders(tmp.resolve("train"), 2, "a", "b", "c");
        FolderSource ordered = new FolderSource(tmp.resolve("train"), null, null, null, new ImageShape(8, 8, 3),
                Resize.CROP, 0.5, false, tmp.resolve("cache"), List.of("c", "a", "b"), "");
        FolderScan.Scan scan = FolderScan.scan("mine", ordered);
        assertEquals(List.of("c", "a", "b"), scan.classes());
        assertTrue(scan.train().stream().allMatch(i -> i.relative().startsWith("train/" + scan.classes().get(i.label()) + "/")));
        FolderSource wrong = new FolderSource(tmp.resolve("train"), null, null, null, new ImageShape(8, 8, 3),
                Resize.CROP, 0.5, false, tmp.resolve("cache"), List.of("c", "a", "d"), "");
        DataException e = assertThrows(DataException.class, () -> FolderScan.scan("mine", wrong));
        assertTrue(e.getMessage().contains("missing in classes: b; only in classes: d"), e.getMessage());
    }

    @Test
    void theFingerprintIgnoresWhereTheFolderIsButNotWhatIsInIt() throws IOException, DataException {
        Images.classFolders(tmp.resolve("one/train"), 2, "a", "b");
        Images.classFolders(tmp.resolve("two/train"), 2, "a", "b");
        for (String f : List.of("a/000.png", "a/001.png", "b/000.png", "b/001.png")) { // as cp -a / rsync -a copy
            Files.setLastModifiedTime(tmp.resolve("two/train").resolve(f),
                    Files.getLastModifiedTime(tmp.resolve("one/train").resolve(f)));
        }
        String one = FolderScan.fingerprint(FolderScan.scan("mine", source(tmp.resolve("one/train"), null, null, false)));
        String two = FolderScan.fingerprint(FolderScan.scan("mine", source(tmp.resolve("two/train"), null, null, false)));
        assertEquals(one, two);
        // The same size, other pixels, a later time: an edit in place is other content.
        Path edited = tmp.resolve("two/train/a/000.png");
        Images.write(Images.solid(8, 8, 0x00FF00), "png", edited);
        Files.setLastModifiedTime(edited, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(edited).toMillis() + 5000));
        FolderScan.Scan editedScan = FolderScan.scan("mine", source(tmp.resolve("two/train"), null, null, false));
        assertEquals(Files.size(tmp.resolve("one/train/a/000.png")), Files.size(edited), "same size");
        assertFalse(one.equals(FolderScan.fingerprint(editedScan)));
        Images.write(Images.solid(9, 9, 0), "png", tmp.resolve("two/train/a/extra.png"));
        String three = FolderScan.fingerprint(FolderScan.scan("mine", source(tmp.resolve("two/train"), null, null, false)));
        assertFalse(one.equals(three));
    }
}
