package io.rtmprouter.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `stick-table ... store`, `track-scN`, the `sc-*` actions and counter fetches, read as HAProxy 2.6 reads them. */
class StickCounterConfigTest {
    private static String frontend(String lines) {
        return "frontend fe\n mode tcp\n bind :1\n" + lines + " default_backend be\nbackend be\n mode tcp\n server s 127.0.0.1:2\n";
    }

    /** The warnings besides those about the timeouts these short sections leave out. */
    private static List<String> warnings(RouterConfig c) {
        return c.warnings().stream().filter(w -> !w.contains("missing timeouts")).toList();
    }

    private static List<String> errors(String text) {
        return assertThrows(ConfigException.class, () -> ConfigParser.parse("c.cfg", text)).errors();
    }

    @Test
    void storeTakesHaproxysNamesWithAPeriodOnTheRates() throws Exception {
        RouterConfig c = ConfigParser.parse("c.cfg", frontend(
                " stick-table type ip size 10 expire 10s store conn_cur,conn_rate(10s) store gpc0,gpc0_rate(1m)\n"));
        StickTableConfig t = c.stickTables().get("fe");
        assertEquals(Duration.ofSeconds(10), t.stores().get(StickData.CONN_RATE));
        assertEquals(Duration.ofMinutes(1), t.stores().get(StickData.GPC0_RATE));
        assertTrue(t.stores(StickData.CONN_CUR) && t.stores(StickData.GPC0));
    }

    @Test
    void storeErrorsAreHaproxys() {
        assertEquals(List.of("[ALERT] c.cfg:4: stick-table: missing argument to store option 'conn_rate'"),
                errors(frontend(" stick-table type ip size 10 store conn_rate\n")));
        assertEquals(List.of("[ALERT] c.cfg:4: stick-table: unexpected argument to store option 'conn_cur'"),
                errors(frontend(" stick-table type ip size 10 store conn_cur(10s)\n")));
        assertEquals(List.of("[ALERT] c.cfg:4: stick-table: unknown store option 'conn_curr' (did you mean 'conn_cur'?)"),
                errors(frontend(" stick-table type ip size 10 store conn_curr\n")));
        assertTrue(errors(frontend(" stick-table type ip size 10 store http_req_rate(10s)\n")).get(0)
                .contains("'http_req_rate' counts HTTP requests"));
    }

    @Test
    void aStoreOptionGivenTwiceIsWarnedAboutAsHaproxyDoes() throws Exception {
        RouterConfig c = ConfigParser.parse("c.cfg", frontend(" stick-table type ip size 10 store conn_cnt,conn_cnt\n"));
        assertEquals(List.of("[WARNING] c.cfg:4: stick-table: store option 'conn_cnt' already enabled, ignored"),
                warnings(c));
    }

    @Test
    void trackScNeedsATableAndACounterHaproxyHas() {
        assertEquals(List.of("[ALERT] c.cfg:4: Proxy 'fe': unable to find table 'fe' referenced by track-sc0."),
                errors(frontend(" tcp-request connection track-sc0 src\n")));
        assertEquals(List.of("[ALERT] c.cfg:4: 'tcp-request connection track-sc3' : 3 track-sc number exceeding 2"
                        + " (MAX_SESS_STKCTR-1) value"),
                errors(frontend(" tcp-request connection track-sc3 src\n")));
        assertEquals(List.of("[ALERT] c.cfg:4: 'tcp-request content track-sc0 dst': rtmp-router tracks only 'src' for now"),
                errors(frontend(" tcp-request content track-sc0 dst\n")));
    }

    @Test
    void aTrackRuleMayNameAnotherProxysTableAndTakeACondition() throws Exception {
        RouterConfig c = ConfigParser.parse("c.cfg", frontend(" tcp-request connection track-sc1 src table be"
                + " if { src 10.0.0.0/8 }\n").replace("server s", "stick-table type ip size 5\n server s"));
        TcpRequestRule r = c.frontends().get(0).routing().connectionRules().get(0);
        assertEquals(TcpRequestRule.Action.TRACK, r.action());
        assertEquals(1, r.counter());
        assertEquals("be", r.table());
        assertEquals("if { src 10.0.0.0/8 }", r.condition().text());
    }

    @Test
    void aSrcFetchDefaultsToTheProxysOwnTableWhichMustExist() {
        assertEquals(List.of("[ALERT] c.cfg:4: unable to find table 'fe' referenced in arg 1 of ACL keyword"
                        + " 'src_conn_rate' in proxy 'fe'."),
                errors(frontend(" tcp-request connection reject if { src_conn_rate gt 3 }\n")));
        assertEquals(List.of("[ALERT] c.cfg:4: unable to find table 'nope' referenced in arg 2 of ACL keyword"
                        + " 'sc_conn_rate' in proxy 'fe'."),
                errors(frontend(" tcp-request connection reject if { sc_conn_rate(0,nope) gt 3 }\n")));
    }

    @Test
    void aFetchOfDataTheTableDoesNotStoreOrOfACounterNoSessionHasIsWarned() throws Exception {
        RouterConfig c = ConfigParser.parse("c.cfg", frontend("""
                 stick-table type ip size 10 store conn_cur
                 tcp-request connection reject if { src_conn_rate gt 3 }
                 tcp-request connection reject if { sc_conn_cur(5) gt 3 }
                """));
        assertEquals(List.of(
                "[WARNING] c.cfg:5: fetch 'src_conn_rate(fe)' reads 'conn_rate', which table 'fe' does not store:"
                        + " it never has a value",
                "[WARNING] c.cfg:6: fetch 'sc_conn_cur(5)' reads counter 5, but sessions track only sc0 to sc2:"
                        + " it never has a value"), warnings(c));
    }

    @Test
    void integerPatternsAreHaproxysRangesAndOperators() throws Exception {
        List<IntRange> r = IntRange.parse(List.of("gt", "5", "10:20", ":3", "40:", "lt", "0", "eq", "7", "ge", "9",
                "le", "1", "12"), new SourceLocation("c.cfg", 1));
        assertEquals(List.of(new IntRange(6, Long.MAX_VALUE), new IntRange(10, 20), new IntRange(Long.MIN_VALUE, 3),
                new IntRange(40, Long.MAX_VALUE), new IntRange(Long.MIN_VALUE, -1), new IntRange(7, 7),
                new IntRange(9, Long.MAX_VALUE), new IntRange(Long.MIN_VALUE, 1), new IntRange(12, 12)), r);
        assertTrue(errors(frontend(" stick-table type ip size 10 store conn_cur\n"
                + " tcp-request connection reject if { sc0_conn_cur gt many }\n")).get(0)
                .contains("'many' is not an integer"));
        assertTrue(errors(frontend(" tcp-request connection reject if { sc0_conn_cur -m str x }\n")).get(0)
                .contains("match method 'str' does not apply to 'sc0_conn_cur' (use one of int, found)"));
    }

    @Test
    void httpCountersAndTheArrayFormsAreRefused() {
        assertTrue(errors(frontend(" tcp-request connection reject if { sc0_http_req_rate gt 3 }\n")).get(0)
                .contains("fetch 'sc0_http_req_rate' counts HTTP requests"));
        assertTrue(errors(frontend(" tcp-request connection reject if { sc_get_gpc(0,0) gt 3 }\n")).get(0)
                .contains("fetch 'sc_get_gpc' is not supported by rtmp-router yet"));
        assertTrue(errors(frontend(" tcp-request connection sc-inc-gpc(0,0)\n")).get(0)
                .contains("'tcp-request connection sc-inc-gpc(0,0)' is not supported by rtmp-router yet"));
    }
}
