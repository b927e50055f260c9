package org.sslbench.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sslbench.data.DataException;
import org.sslbench.data.EmbeddedFashionMnistFactory;
import org.sslbench.data.folder.FolderWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "example-folder", mixinStandardHelpOptions = true,
        description = {"Write the embedded Fashion-MNIST subset (1,000 train + 200 test images per class, 28x28"
                + " grayscale) as an image-folder tree of PNG files, DIR/fashion-mnist-folder/{train,test}/<class>/NNNNN.png,"
                + " the layout specs/folder-example.yaml reads: see it work before pointing a spec at your own images.",
                "Exit codes: 0 written (or already there), 2 the directory cannot be written."})
final class ExampleFolderCommand implements Callable<Integer> {
    /** The tree's directory name under the data directory, as specs/folder-example.yaml names it. */
    static final String NAME = "fashion-mnist-folder";

    @Option(names = "--data", paramLabel = "DIR", description = "data directory (default: data)")
    Path data = DataCommand.DEFAULT_DIR;

    @Override
    public Integer call() {
        Path dir = data.resolve(NAME);
        if (java.nio.file.Files.isDirectory(dir)) {
            System.out.println(dir + " is already there (remove it to write it again)");
            return Main.OK;
        }
        try {
            int n = FolderWriter.write(new EmbeddedFashionMnistFactory().load(null, 0), dir);
            System.out.println("wrote " + n + " PNG images to " + dir + "/{train,test}/<class>/");
            String word = org.sslbench.data.Shell.quote(data);
            System.out.println("run it with: make bench SPEC=specs/folder-example.yaml"
                    + (data.equals(DataCommand.DEFAULT_DIR) ? "" : " DATA=" + word));
            return Main.OK;
        } catch (IOException | DataException e) {
            System.err.println("sslbench: example-folder: " + e.getMessage());
            return Main.BAD_INPUT;
        }
    }
}
