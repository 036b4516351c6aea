package io.rtmprouter.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stick-counter fetch: `sc0_conn_rate`, `sc_conn_rate(0[,table])`, `src_conn_rate([table])`.
 * The `scN_` forms read the entry the session tracks as counter N (or, with a table, the same
 * key in that table); the `src_` forms look the client's address up in a table, the proxy's own
 * by default.
 *
 * @param table the table named in the fetch's argument; null when it names none
 */
public record CounterFetch(String keyword, boolean bySource, int counter, String table, Counter what) {
    /** HAProxy 2.6 has three tracked counters per session: sc0, sc1 and sc2. */
    public static final int COUNTERS = 3;
    private static final Pattern FORM = Pattern.compile("(sc([0-9])|sc|src)_([a-z0-9_]+)(?:\\((.*)\\))?");

    /** How a counter fetch reads (or changes) an entry's data. */
    public enum Read { VALUE, RATE, KILOBYTES, INCREMENT, CLEAR, TRACKERS }

    public enum Counter {
        CONN_CUR("conn_cur", StickData.CONN_CUR, Read.VALUE),
        CONN_CNT("conn_cnt", StickData.CONN_CNT, Read.VALUE),
        CONN_RATE("conn_rate", StickData.CONN_RATE, Read.RATE),
        SESS_CNT("sess_cnt", StickData.SESS_CNT, Read.VALUE),
        SESS_RATE("sess_rate", StickData.SESS_RATE, Read.RATE),
        KBYTES_IN("kbytes_in", StickData.BYTES_IN_CNT, Read.KILOBYTES),
        KBYTES_OUT("kbytes_out", StickData.BYTES_OUT_CNT, Read.KILOBYTES),
        BYTES_IN_RATE("bytes_in_rate", StickData.BYTES_IN_RATE, Read.RATE),
        BYTES_OUT_RATE("bytes_out_rate", StickData.BYTES_OUT_RATE, Read.RATE),
        GET_GPC0("get_gpc0", StickData.GPC0, Read.VALUE),
        GET_GPC1("get_gpc1", StickData.GPC1, Read.VALUE),
        GPC0_RATE("gpc0_rate", StickData.GPC0_RATE, Read.RATE),
        GPC1_RATE("gpc1_rate", StickData.GPC1_RATE, Read.RATE),
        INC_GPC0("inc_gpc0", StickData.GPC0, Read.INCREMENT),
        INC_GPC1("inc_gpc1", StickData.GPC1, Read.INCREMENT),
        CLR_GPC0("clr_gpc0", StickData.GPC0, Read.CLEAR),
        CLR_GPC1("clr_gpc1", StickData.GPC1, Read.CLEAR),
        GET_GPT0("get_gpt0", StickData.GPT0, Read.VALUE),
        TRACKERS("trackers", null, Read.TRACKERS);

        private final String keyword;
        private final StickData data;
        private final Read read;

        Counter(String keyword, StickData data, Read read) {
            this.keyword = keyword;
            this.data = data;
            this.read = read;
        }

        /** The stored data it reads or changes; null for `trackers`, which reads the entry itself. */
        public StickData data() {
            return data;
        }

        public Read read() {
            return read;
        }
    }

    /** The counter fetch a word names, empty when it is no counter fetch at all. */
    static Optional<CounterFetch> parse(String word, SourceLocation where, List<String> warnings)
            throws ConfigException {
        Matcher m = FORM.matcher(word);
        if (!m.matches()) {
            return Optional.empty();
        }
        String name = m.group(3);
        String fetchName = word.contains("(") ? word.substring(0, word.indexOf('(')) : word;
        if (name.startsWith("http_")) {
            throw new ConfigException(where, "fetch '" + fetchName + "' counts HTTP requests, which rtmp-router"
                    + " never sees; it is refused rather than left at 0");
        }
        Optional<Counter> counter = Arrays.stream(Counter.values()).filter(c -> c.keyword.equals(name)).findFirst();
        if (counter.isEmpty()) {
            if (List.of("tracked", "updt_conn_cnt", "get_gpc", "inc_gpc", "clr_gpc", "gpc_rate", "get_gpt").contains(name)) {
                throw new ConfigException(where, "fetch '" + fetchName + "' is not supported by rtmp-router yet");
            }
            return Optional.empty();
        }
        if (m.group(2) != null && Integer.parseInt(m.group(2)) >= COUNTERS) {
            return Optional.empty(); // sc3_* and above are no HAProxy 2.6 fetches either
        }
        List<String> args = m.group(4) == null ? List.of() : List.of(m.group(4).split(",", -1));
        boolean bySource = m.group(1).equals("src");
        int index;
        String table;
        if (m.group(1).equals("sc")) {
            if (args.isEmpty() || args.get(0).isEmpty()) {
                throw new ConfigException(where, "fetch '" + fetchName + "' expects the counter number as its first"
                        + " argument, as in " + fetchName + "(0)");
            }
            index = counterNumber(args.get(0), fetchName, where);
            if (index >= COUNTERS) {
                warnings.add(Warnings.of(where, "fetch '" + word + "' reads counter " + index + ", but sessions track"
                        + " only sc0 to sc" + (COUNTERS - 1) + ": it never has a value"));
            }
            table = argument(args, 1, fetchName, where);
        } else {
            index = bySource ? -1 : Integer.parseInt(m.group(2));
            table = argument(args, 0, fetchName, where);
        }
        return Optional.of(new CounterFetch(fetchName, bySource, index, table, counter.get()));
    }

    private static int counterNumber(String arg, String fetch, SourceLocation where) throws ConfigException {
        try {
            return Integer.parseInt(arg.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(where, "fetch '" + fetch + "': '" + arg + "' is not a counter number");
        }
    }

    /** The optional table argument at {@code i}; nothing may follow it. */
    private static String argument(List<String> args, int i, String fetch, SourceLocation where)
            throws ConfigException {
        if (args.size() > i + 1) {
            throw new ConfigException(where, "fetch '" + fetch + "' takes at most " + (i + 1) + " argument"
                    + (i == 0 ? "" : "s") + ", got " + args.size());
        }
        if (args.size() <= i) {
            return null;
        }
        String t = args.get(i).trim();
        if (t.isEmpty()) {
            throw new ConfigException(where, "fetch '" + fetch + "': empty table name");
        }
        return t;
    }

    /** The same fetch with its table named: the proxy's own when a `src_` fetch names none. */
    CounterFetch inTable(String name) {
        return new CounterFetch(keyword, bySource, counter, name, what);
    }

    @Override
    public String toString() {
        return keyword + (table == null ? "" : "(" + table + ")");
    }
}
