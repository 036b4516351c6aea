package io.rtmprouter.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * HAProxy 2.6's `show stat` columns in its order, and which rows it fills each one in (read from
 * the real haproxy, see show-stat-columns.txt): a column a row does not fill stays empty there,
 * as dashboards and scripts written against HAProxy expect.
 */
record StatColumns(List<Column> columns) {
    /** A row of `show stat`: FRONTEND, BACKEND, a server, a checked server. */
    enum Row { FRONTEND, BACKEND, SERVER, CHECKED_SERVER }

    record Column(String name, String rows) {
        boolean filledIn(Row r) {
            return switch (r) {
                case FRONTEND -> rows.contains("F");
                case BACKEND -> rows.contains("B");
                case SERVER -> rows.contains("S");
                case CHECKED_SERVER -> rows.contains("S") || rows.contains("C");
            };
        }
    }

    static final StatColumns HAPROXY_2_6 = load();

    private static StatColumns load() {
        try (InputStream in = StatColumns.class.getResourceAsStream("show-stat-columns.txt")) {
            List<Column> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] w = line.split(" ");
                out.add(new Column(w[0], w[1]));
            }
            return new StatColumns(List.copyOf(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int index(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(name);
    }

    /** HAProxy's header line: "# " and every name followed by a comma. */
    String header() {
        StringBuilder b = new StringBuilder("# ");
        for (Column c : columns) {
            b.append(c.name()).append(',');
        }
        return b.toString();
    }
}
