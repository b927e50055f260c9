package org.sslbench.transfer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.sslbench.method.Method;
import org.sslbench.method.Params;

/**
 * The encoder weights a method without pretext run starts from when it names a weights file
 * ({@link Method#weightsParam}): what the runner hands to every protocol in place of pretext weights.
 */
public final class ImportedWeights {
    private ImportedWeights() {
    }

    /**
     * The weights named by {@code method}'s weights param, or null when the method has none (random
     * initialisation). The file must still have the content hash the spec loader recorded
     * ({@code <param>_sha256}): weights replaced after validation would give rows under the old identity.
     *
     * @throws IOException when the file cannot be read or changed since the spec was loaded
     */
    public static Map<String, float[]> load(Method method, Params params) throws IOException {
        String param = method.weightsParam();
        if (param == null) {
            return null;
        }
        Path path = Path.of(params.getString(param));
        String recorded = params.asMap().containsKey(param + "_sha256") ? params.getString(param + "_sha256") : null;
        String now = EncoderWeights.sha256(path);
        if (recorded != null && !recorded.equals(now)) {
            throw new IOException("weights " + path + " changed since the spec was loaded (content SHA-256 " + now
                    + ", was " + recorded + "); rerun to evaluate the new weights under their own identity");
        }
        return EncoderWeights.read(path).tensors();
    }
}
