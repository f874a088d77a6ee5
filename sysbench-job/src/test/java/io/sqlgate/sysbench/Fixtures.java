package io.sqlgate.sysbench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The captured sysbench outputs under src/test/resources/sysbench-output (see the README there). */
public final class Fixtures {

    private Fixtures() {
    }

    public static String sysbenchOutput(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/sysbench-output/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path sysbenchOutputPath(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/sysbench-output/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
