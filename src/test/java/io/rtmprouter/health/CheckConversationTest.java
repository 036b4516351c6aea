package io.rtmprouter.health;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rtmprouter.config.CheckStatus;
import io.rtmprouter.config.ConfigParser;
import io.rtmprouter.config.HealthCheckConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules of a check on an embedded connection, byte for byte. The expected requests and
 * messages are those Debian's HAProxy 2.6 wrote and logged for the same rules and answers.
 */
class CheckConversationTest {
    private final List<CheckResult> results = new ArrayList<>();

    private static HealthCheckConfig check(String backendLines) throws Exception {
        return ConfigParser.parse("t.cfg", """
                defaults
                 mode tcp
                 timeout connect 1s
                 timeout client 1s
                 timeout server 1s
                backend b
                %s
                 server s 127.0.0.1:1 check
                listen l
                 bind 127.0.0.1:1935
                 server x 127.0.0.1:2
                """.formatted(backendLines)).backends().get("b").healthCheck();
    }

    private EmbeddedChannel start(String backendLines) throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAutoRead(false);
        ch.pipeline().addLast(new CheckConversation(check(backendLines), Duration.ofSeconds(2), System.nanoTime(),
                results::add));
        return ch;
    }

    private static String written(EmbeddedChannel ch) {
        StringBuilder s = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            s.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return s.toString();
    }

    private static void answer(EmbeddedChannel ch, String bytes) {
        ch.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
    }

    private CheckResult only() {
        assertEquals(1, results.size(), results.toString());
        return results.get(0);
    }

    private static String describe(CheckResult r) {
        return r.describe().replaceAll("check duration: \\d+ms", "check duration: Nms");
    }

    @Test
    void aTcpCheckSendsItsBytesAndPassesOnTheExpectedString() throws Exception {
        EmbeddedChannel ch = start(" option tcp-check\n tcp-check send PING\\r\\n\n tcp-check expect string +PONG");
        assertEquals("PING\r\n", written(ch));
        assertTrue(results.isEmpty(), "waits for the answer");
        answer(ch, "+PO");
        assertTrue(results.isEmpty(), "a string is not matched before as many bytes as it has arrived");
        answer(ch, "NG\r\n");
        assertEquals(", reason: Layer7 check passed, code: 0, info: \"(tcp-check)\", check duration: Nms", describe(only()));
        assertFalse(ch.isOpen(), "the check closes its connection");
    }

    @Test
    void aMismatchIsJudgedAtTheEndOfTheAnswerWithHaproxysWords() throws Exception {
        EmbeddedChannel ch = start(" option tcp-check\n tcp-check send PING\\r\\n\n tcp-check expect string +PONG");
        answer(ch, "-ERR nope\r\n");
        assertTrue(results.isEmpty(), "without min-recv, a mismatch waits for more");
        ch.close();
        assertEquals(", reason: Layer7 invalid response, info: \"TCPCHK did not match content '+PONG' at step 2\","
                + " check duration: Nms", describe(only()));
        assertEquals(CheckStatus.L7RSP, only().status());
    }

    @Test
    void stepsCountCommentsAndAnExplicitConnectAndCommentsAreQuotedAsHaproxyQuotesThem() throws Exception {
        EmbeddedChannel ch = start(" option tcp-check\n tcp-check comment hello\n tcp-check connect\n"
                + " tcp-check send PING\\r\\n\n tcp-check expect string +PONG comment pong");
        ch.close();
        assertEquals(", reason: Layer7 invalid response, info: \"TCPCHK got an empty response at step 4 comment:"
                + " 'pong'\", check duration: Nms", describe(only()));
    }

    @Test
    void minRecvDecidesWithoutWaitingForTheEndAndNegationFailsOnAMatch() throws Exception {
        EmbeddedChannel ch = start(" option tcp-check\n tcp-check send PING\\r\\n\n"
                + " tcp-check expect min-recv 4 ! string ERR comment noerr");
        answer(ch, "-ERR");
        assertEquals(", reason: Layer7 invalid response, info: \"TCPCHK matched unwanted content 'ERR' at step 2"
                + " comment: noerr\", check duration: Nms", describe(only()));
    }

    @Test
    void aRegexAndABinaryMatchAreNamedByTheirKindAndStatusesCanBeChosen() throws Exception {
        EmbeddedChannel ch = start(" option tcp-check\n tcp-check send-binary 50494e470d0a\n"
                + " tcp-check expect rstring ^\\\\+PO\n tcp-check expect error-status L7STS binary 0a0b");
        assertEquals("PING\r\n", written(ch));
        answer(ch, "+PONG\r\n");
        ch.close();
        assertEquals(", reason: Layer7 wrong status, code: 0, info: \"TCPCHK did not match content (binary) at step 3\","
                + " check duration: Nms", describe(only()));
    }

    @Test
    void aSilentServerTimesOutNamingTheStepItWasAt() throws Exception {
        EmbeddedChannel ch = start(" option tcp-check\n tcp-check send PING\\r\\n\n tcp-check expect string +PONG");
        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertEquals(", reason: Layer7 timeout, info: \" at step 2 of tcp-check (expect string '+PONG')\","
                + " check duration: Nms", describe(only()));
    }

    @Test
    void anHttpCheckSendsHaproxysDefaultRequestAndWantsA2xxOr3xx() throws Exception {
        EmbeddedChannel ch = start(" option httpchk");
        assertEquals("OPTIONS / HTTP/1.0\r\n\r\n", written(ch));
        answer(ch, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
        assertEquals(", reason: Layer7 wrong status, code: 503, info: \"Service Unavailable\", check duration: Nms",
                describe(only()));
    }

    @Test
    void anHttpCheckPassesWithTheStatusCode() throws Exception {
        EmbeddedChannel ch = start(" option httpchk GET /health HTTP/1.1\\r\\nHost:\\ origin.example");
        assertEquals("GET /health HTTP/1.1\r\nhost: origin.example\r\nconnection: close\r\n\r\n", written(ch));
        answer(ch, "HTTP/1.1 200 OK\r\n");
        assertTrue(results.isEmpty(), "the headers are not complete");
        answer(ch, "\r\n");
        assertEquals(", reason: Layer7 check passed, code: 200, check duration: Nms", describe(only()));
    }

    @Test
    void httpCheckSendBuildsTheRequestAsHaproxyDoes() throws Exception {
        EmbeddedChannel ch = start(" option httpchk\n http-check send meth HEAD uri /ping ver HTTP/1.1 hdr Host www"
                + " hdr X-A b body hi\n http-check expect status 200,204");
        assertEquals("HEAD /ping HTTP/1.1\r\nhost: www\r\nx-a: b\r\ncontent-length: 2\r\nconnection: close\r\n\r\nhi",
                written(ch));
        answer(ch, "HTTP/1.0 204 No Content\r\n\r\n");
        assertEquals(CheckStatus.L7OK, only().status());
        assertEquals(204, only().code());
    }

    @Test
    void anHttpBodyCheckWaitsForTheBodyAndSaysWhatIsMissing() throws Exception {
        EmbeddedChannel ch = start(" option httpchk\n http-check expect string world");
        answer(ch, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        assertEquals(", reason: Layer7 invalid response, info: \"HTTP content check could not find a response body\","
                + " check duration: Nms", describe(only()));

        results.clear();
        ch = start(" option httpchk\n http-check expect string world");
        answer(ch, "HTTP/1.0 200 OK\r\n\r\nhello ");
        assertTrue(results.isEmpty(), "the body goes on until the connection ends");
        answer(ch, "world");
        assertEquals(CheckStatus.L7OK, only().status());

        results.clear();
        ch = start(" option httpchk\n http-check expect ! string hello");
        answer(ch, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
        assertEquals(", reason: Layer7 invalid response, info: \"HTTP check matched unwanted content\","
                + " check duration: Nms", describe(only()));
    }

    @Test
    void whatIsNotHttpIsAnInvalidResponseWithoutInfo() throws Exception {
        EmbeddedChannel ch = start(" option httpchk");
        answer(ch, "garbage\r\n\r\n");
        assertEquals(", reason: Layer7 invalid response, check duration: Nms", describe(only()));
        assertNull(only().info());
    }

    @Test
    void redisCheckIsHaproxysPingAndPong() throws Exception {
        EmbeddedChannel ch = start(" option redis-check");
        assertEquals("*1\r\n$4\r\nPING\r\n", written(ch));
        answer(ch, "+PONG\r\n");
        assertEquals(", reason: Layer7 check passed, code: 0, info: \"Redis server is ok\", check duration: Nms",
                describe(only()));

        results.clear();
        ch = start(" option redis-check");
        answer(ch, "-NOAUTH Authentication required.\r\n");
        assertTrue(results.isEmpty(), "an answer that is not +PONG waits for the end, as HAProxy's rule does");
        ch.close();
        assertEquals(", reason: Layer7 wrong status, code: 0, info: \"-NOAUTH Authentication required.\","
                + " check duration: Nms", describe(only()));

        results.clear();
        ch = start(" option redis-check");
        answer(ch, "-LOADING Redis is loading the dataset in memory\r\n");
        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertEquals(", reason: Layer7 timeout, check duration: Nms", describe(only()), "a protocol check's timeout names no step");
    }

    @Test
    void sslHelloChkSendsHaproxysHelloAndWantsATlsRecord() throws Exception {
        EmbeddedChannel ch = start(" option ssl-hello-chk");
        String hello = written(ch);
        assertEquals(126, hello.length(), "a 5-byte record header and a 121-byte CLIENT HELLO");
        assertEquals("\u0016\u0003\u0000\u0000\u0079\u0001\u0000\u0000\u0075\u0003\u0000", hello.substring(0, 11));
        assertTrue(hello.contains("HAPROXYSSLCHK\nHAPROXYSSLCHK\n"));
        answer(ch, "\u0015\u0003\u0003\u0000\u0002\u0002\u0046");
        assertEquals(", reason: Layer6 check passed, check duration: Nms", describe(only()));

        results.clear();
        ch = start(" option ssl-hello-chk");
        answer(ch, "HTTP/1.1 400 Bad Request\r\n");
        assertEquals(", reason: Layer6 invalid response, check duration: Nms", describe(only()),
                "five bytes decide it, and a protocol check names no content");
    }

    @Test
    void aSendDiscardsWhatWasReadBeforeItAsHaproxysDoes() throws Exception {
        EmbeddedChannel ch = start(" option tcp-check\n tcp-check expect string 220\n tcp-check send HELO\\ x\\r\\n\n"
                + " tcp-check expect string 250");
        answer(ch, "220 ready 250\r\n");
        assertEquals("HELO x\r\n", written(ch));
        assertTrue(results.isEmpty(), "the greeting's 250 was before the send: it does not count");
        answer(ch, "250 hello\r\n");
        assertEquals(CheckStatus.L7OK, only().status());
    }

    @Test
    void smtpchkIsHaproxysGreetingHeloAndReply() throws Exception {
        EmbeddedChannel ch = start(" option smtpchk");
        assertEquals("", written(ch), "the server speaks first");
        answer(ch, "220 mail.test ESMTP\r\n");
        assertEquals("HELO localhost\r\n", written(ch));
        answer(ch, "250 mail.test\r\n");
        assertEquals("QUIT\r\n", written(ch), "the transaction is closed cleanly, as Debian's HAProxy 2.6 does");
        answer(ch, "221 Bye\r\n");
        assertEquals(", reason: Layer7 check passed, code: 221, info: \"Bye\", check duration: Nms", describe(only()));

        results.clear();
        ch = start(" option smtpchk EHLO example.org");
        answer(ch, "554 no service here\r\n");
        assertEquals(", reason: Layer7 wrong status, code: 554, info: \"no service here\", check duration: Nms",
                describe(only()));

        results.clear();
        ch = start(" option smtpchk EHLO example.org");
        answer(ch, "220 hi\r\n");
        assertEquals("EHLO example.org\r\n", written(ch));
    }

    /** A StartupMessage for user checker: length 22, protocol 3.0, "user", "checker", the end. */
    private static final String PG_STARTUP = "\0\0\0\u0016\0\u0003\0\0user\0checker\0\0";

    @Test
    void pgsqlCheckSendsAStartupMessageAndPassesOnAnAuthenticationRequest() throws Exception {
        EmbeddedChannel ch = start(" option pgsql-check user checker");
        assertEquals(PG_STARTUP, written(ch));
        answer(ch, "R\0\0\0\u0008\0\0\0\0S\0\0\0\u0016");
        assertEquals(", reason: Layer7 check passed, code: 0, info: \"PostgreSQL server is ok\", check duration: Nms",
                describe(only()));
    }

    @Test
    void pgsqlCheckNamesTheSeverityOfAnErrorAsHaproxyDoes() throws Exception {
        EmbeddedChannel ch = start(" option pgsql-check user checker");
        written(ch);
        // What Debian's PostgreSQL 15 sends when pg_hba.conf rejects the user.
        answer(ch, "E\0\0\0\u0070SFATAL\0VFATAL\0C28000\0Mpg_hba.conf rejects connection\0\0");
        assertEquals(", reason: Layer7 invalid response, info: \"FATAL\", check duration: Nms", describe(only()));
    }

    @Test
    void pgsqlCheckWithAnUnknownAnswerIsAWrongStatus() throws Exception {
        EmbeddedChannel ch = start(" option pgsql-check user checker");
        written(ch);
        answer(ch, "N\0\0\0\u0008\0\0\0\u0009");
        assertEquals(", reason: Layer7 wrong status, code: 0, info: \"PostgreSQL unknown error\", check duration: Nms",
                describe(only()));
    }

    /** A MariaDB greeting: length, sequence 0, protocol 10, its version, then the rest (abridged). */
    private static final String GREETING = "\u001c\0\0\0\n5.5.5-10.11.19-MariaDB\0abcd";

    @Test
    void mysqlCheckWithAUserLogsInWithoutPasswordThenQuitsAndNeedsAnOkPacket() throws Exception {
        EmbeddedChannel ch = start(" option mysql-check user haproxy");
        // 41 bytes: header (41 = 7 + 34), capabilities, max packet, charset, 23 zeros, user, filler, COM_QUIT.
        String login = "\u0029\0\0\u0001" + "\0\u0082\0\0" + "\0\u0080\0\u0001" + "!" + "\0".repeat(23)
                + "haproxy\0" + "\0" + "\u0001\0\0\0\u0001";
        assertEquals(login, written(ch), "written at once, before the greeting");
        answer(ch, GREETING);
        assertTrue(results.isEmpty(), "the greeting is only the first packet");
        answer(ch, "\u0007\0\0\u0002\0\0\0\u0002\0\0\0");
        assertEquals(", reason: Layer7 check passed, code: 0, check duration: Nms", describe(only()));
    }

    @Test
    void mysqlCheckNamesTheCodeAndMessageOfAnErrorPacket() throws Exception {
        EmbeddedChannel ch = start(" option mysql-check user haproxy pre-41");
        assertEquals("\u000e\0\0\u0001" + "\0\u0080" + "\0\0\u0001" + "haproxy\0" + "\0" + "\u0001\0\0\0\u0001",
                written(ch), "the pre-4.1 packet: 14 = 7 + 7");
        answer(ch, GREETING);
        String message = "#28000Access denied for user 'haproxy'@'127.0.0.1' (using password: NO)";
        answer(ch, (char) (message.length() + 3) + "\0\0\u0002" + "\u00ff\u0015\u0004" + message);
        assertEquals(", reason: Layer7 wrong status, code: 1045, info: \"" + message + "\", check duration: Nms",
                describe(only()));
    }

    @Test
    void mysqlCheckWithoutAUserReadsTheGreetingAloneAndAShortAnswerIsInvalid() throws Exception {
        EmbeddedChannel ch = start(" option mysql-check");
        assertEquals("", written(ch));
        answer(ch, GREETING);
        assertEquals(CheckStatus.L7OK, only().status());
        results.clear();
        EmbeddedChannel cut = start(" option mysql-check");
        answer(cut, "\u0018\0\0\0\n5.5");
        cut.close();
        assertEquals(", reason: Layer7 invalid response, check duration: Nms", describe(only()));
    }

    private static void answerHex(EmbeddedChannel ch, String hex) {
        ch.writeInbound(Unpooled.wrappedBuffer(java.util.HexFormat.of().parseHex(hex)));
    }

    @Test
    void ldapCheckBindsAnonymouslyAndPassesOnASuccessfulBindResponse() throws Exception {
        EmbeddedChannel ch = start(" option ldap-check");
        assertEquals("300c020101600702010304008000", java.util.HexFormat.of().formatHex(
                written(ch).getBytes(StandardCharsets.ISO_8859_1)));
        // bindResponse(1): resultCode success, empty matchedDN and diagnosticMessage, as slapd answers.
        answerHex(ch, "300c02010161070a010004000400");
        assertEquals(", reason: Layer7 check passed, code: 0, check duration: Nms", describe(only()));
    }

    @Test
    void ldapCheckNamesTheResultCodeOfAFailedBind() throws Exception {
        EmbeddedChannel ch = start(" option ldap-check");
        written(ch);
        answerHex(ch, "300c02010161070a013104000400");
        assertEquals(", reason: Layer7 wrong status, code: 49, info: \"See RFC: http://tools.ietf.org/html/rfc4511"
                + "#section-4.1.9\", check duration: Nms", describe(only()));
    }

    @Test
    void ldapCheckRefusesWhatIsNoLdapv3Answer() throws Exception {
        EmbeddedChannel http = start(" option ldap-check");
        written(http);
        answer(http, "HTTP/1.0 400 Bad\r\n\r\n");
        assertEquals(", reason: Layer7 invalid response, info: \"Not LDAPv3 protocol\", check duration: Nms",
                describe(only()));
        results.clear();
        EmbeddedChannel other = start(" option ldap-check");
        written(other);
        answerHex(other, "300c02010265070a010004000400");
        assertEquals(", reason: Layer7 invalid response, info: \"Not LDAPv3 protocol\", check duration: Nms",
                describe(only()), "message id 2, another operation");
    }
}
