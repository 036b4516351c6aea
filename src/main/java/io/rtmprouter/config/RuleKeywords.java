package io.rtmprouter.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** `acl`, `use_backend` and `tcp-request` lines: the routing half of a frontend. */
final class RuleKeywords {
    private static final Pattern TRACK_SC = Pattern.compile("track-sc([0-9]+)");
    private static final Pattern COUNTER_ACTION = Pattern.compile("(sc-inc-gpc0|sc-inc-gpc1|sc-set-gpt0)\\(([0-9]+)\\)");
    private RuleKeywords() {
    }

    static void acl(ProxyDraft p, List<String> w, SourceLocation where, List<String> warnings) throws ConfigException {
        if (p.kind == ProxyDraft.Kind.DEFAULTS) {
            throw ProxyKeywords.notAllowed(p, "acl", where);
        }
        String name = ProxyKeywords.arg(w, 1, where);
        if (!name.matches("[A-Za-z0-9_.:-]+")) {
            throw new ConfigException(where, "invalid ACL name '" + name
                    + "' (letters, digits, '-', '_', '.' and ':' only)");
        }
        AclConfig acl = parseAcl(p, name, w.subList(2, w.size()), where, warnings);
        p.acls.computeIfAbsent(name, n -> new ArrayList<>()).add(acl);
    }

    /** `FETCH [-i] [-m METHOD] [--] PATTERN...` */
    private static AclConfig parseAcl(ProxyDraft p, String name, List<String> w, SourceLocation where,
                                      List<String> warnings) throws ConfigException {
        if (w.isEmpty()) {
            throw new ConfigException(where, "acl '" + name + "' is missing a fetch");
        }
        String fetchWord = w.get(0);
        CounterFetch counter = CounterFetch.parse(fetchWord, where, warnings).orElse(null);
        if (counter != null && counter.bySource() && counter.table() == null) {
            counter = counter.inTable(p.name); // HAProxy's default: the table of the proxy the rule is in
        }
        Fetch fetch = counter != null ? Fetch.STICK_COUNTER : Fetch.named(fetchWord).orElseThrow(() -> new ConfigException(where,
                "unknown fetch method '" + fetchWord + "' in ACL expression" + Suggestions.hint(fetchWord, Fetch.keywords())));
        boolean ignoreCase = false;
        MatchMethod method = null;
        int i = 1;
        for (; i < w.size() && w.get(i).startsWith("-"); i++) {
            String flag = w.get(i);
            if (flag.equals("--")) {
                i++;
                break;
            }
            switch (flag) {
                case "-i" -> ignoreCase = true;
                case "-m" -> method = method(ProxyKeywords.arg(w, ++i, where), fetch, fetchWord, where);
                case "-f", "-M", "-u", "-n", "-N", "-x" -> throw new ConfigException(where, "ACL flag '" + flag
                        + "' is not supported by rtmp-router yet");
                default -> throw new ConfigException(where, "unknown ACL flag '" + flag + "'"
                        + Suggestions.hint(flag, List.of("-i", "-m", "--")));
            }
        }
        if (method == null) {
            method = fetch == Fetch.SRC ? MatchMethod.IP : fetch == Fetch.STICK_COUNTER ? MatchMethod.INT : MatchMethod.STR;
        }
        List<String> patterns = w.subList(i, w.size());
        if (method == MatchMethod.FOUND && !patterns.isEmpty()) {
            throw new ConfigException(where, "'-m found' takes no pattern, got '" + patterns.get(0) + "'");
        }
        if (method != MatchMethod.FOUND && patterns.isEmpty()) {
            throw new ConfigException(where, "acl '" + name + "' has no pattern to match ('-m found' tests presence)");
        }
        if (fetch == Fetch.SRC && ignoreCase) {
            throw new ConfigException(where, "'-i' has no meaning for addresses ('src')");
        }
        if (fetch == Fetch.STICK_COUNTER) {
            if (ignoreCase) {
                throw new ConfigException(where, "'-i' has no meaning for integers ('" + fetchWord + "')");
            }
            List<IntRange> ranges = method == MatchMethod.INT ? IntRange.parse(patterns, where) : List.of();
            return new AclConfig(name, fetch, counter, method, false, patterns, List.of(), List.of(), ranges, where);
        }
        List<Pattern> regexes = new ArrayList<>();
        List<Network> networks = new ArrayList<>();
        for (String pattern : patterns) {
            if (method == MatchMethod.REG) {
                regexes.add(regex(pattern, ignoreCase, where));
            } else if (method == MatchMethod.IP) {
                networks.add(Network.parse(pattern, where));
            }
        }
        return new AclConfig(name, fetch, method, ignoreCase, patterns, regexes, networks, where);
    }

    private static MatchMethod method(String m, Fetch fetch, String fetchWord, SourceLocation where)
            throws ConfigException {
        List<String> allowed = fetch == Fetch.SRC ? List.of("ip", "found")
                : fetch == Fetch.STICK_COUNTER ? List.of("int", "found") : MatchMethod.stringMethods();
        if (!allowed.contains(m)) {
            String known = "str, beg, end, sub, reg, found, ip, int";
            throw new ConfigException(where, (known.contains(m) && !m.isEmpty()
                    ? "match method '" + m + "' does not apply to '" + fetchWord + "'"
                    : "unknown match method '" + m + "'") + " (use one of " + String.join(", ", allowed) + ")");
        }
        return MatchMethod.valueOf(m.toUpperCase());
    }

    private static Pattern regex(String pattern, boolean ignoreCase, SourceLocation where) throws ConfigException {
        try {
            return Pattern.compile(pattern, ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        } catch (PatternSyntaxException e) {
            throw new ConfigException(where, "invalid regex '" + pattern + "': " + e.getDescription());
        }
    }

    static void useBackend(ProxyDraft p, List<String> w, SourceLocation where, List<String> warnings)
            throws ConfigException {
        requireFrontend(p, "use_backend", where);
        String backend = ProxyKeywords.arg(w, 1, where);
        if (backend.contains("%[")) {
            throw new ConfigException(where, "dynamic backend names ('" + backend + "') are not supported yet");
        }
        Condition cond = condition(p, w, 2, where, "use_backend", warnings);
        p.useBackends.add(new UseBackendRule(backend, cond, where));
    }

    static void tcpRequest(ProxyDraft p, List<String> w, SourceLocation where, List<String> warnings)
            throws ConfigException {
        String stage = ProxyKeywords.arg(w, 1, where);
        switch (stage) {
            case "inspect-delay" -> {
                p.inspectDelay = Values.duration(ProxyKeywords.arg(w, 2, where), where, "tcp-request inspect-delay");
                p.inspectDelayWhere = where;
                p.inspectDelaySetHere = true;
            }
            case "connection", "session", "content" -> {
                if (p.kind == ProxyDraft.Kind.DEFAULTS) {
                    throw ProxyKeywords.notAllowed(p, "tcp-request " + stage, where);
                }
                if (p.kind == ProxyDraft.Kind.BACKEND && !stage.equals("content")) {
                    // HAProxy's words: a backend sees a session only once a frontend has accepted it.
                    throw new ConfigException(where, "tcp-request " + stage + " is not allowed because backend "
                            + p.name + " is not a frontend");
                }
                TcpRequestRule rule = tcpRequestAction(p, w, where, warnings);
                (switch (stage) {
                    case "connection" -> p.connectionRules;
                    case "session" -> p.sessionRules;
                    default -> p.contentRules;
                }).add(rule);
            }
            default -> throw new ConfigException(where, "unknown 'tcp-request " + stage + "'"
                    + Suggestions.hint(stage, List.of("inspect-delay", "connection", "content", "session")));
        }
    }

    /** `accept|reject|track-scN src [table T]|sc-inc-gpc0(N)|sc-inc-gpc1(N)|sc-set-gpt0(N) V` and its condition. */
    private static TcpRequestRule tcpRequestAction(ProxyDraft p, List<String> w, SourceLocation where,
                                                   List<String> warnings) throws ConfigException {
        String rule = "tcp-request " + w.get(1);
        String action = ProxyKeywords.arg(w, 2, where);
        String named = rule + " " + action;
        if (action.equals("accept") || action.equals("reject")) {
            return TcpRequestRule.accept(action.equals("accept"), condition(p, w, 3, where, named, warnings), where);
        }
        if (action.equals("expect-proxy")) {
            String layer = ProxyKeywords.arg(w, 3, where);
            if (!layer.equals("layer4")) {
                throw new ConfigException(where, "'" + named + "' only supports 'layer4' in proxy '" + p.name
                        + "' (got '" + layer + "')");
            }
            if (!w.get(1).equals("connection")) {
                throw new ConfigException(where, "'expect-proxy layer4' is not allowed in '" + rule + "' rules in proxy '"
                        + p.name + "'");
            }
            return new TcpRequestRule(TcpRequestRule.Action.EXPECT_PROXY, -1, null, 0,
                    condition(p, w, 4, where, named, warnings), where);
        }
        Matcher track = TRACK_SC.matcher(action);
        if (track.matches()) {
            int n = Integer.parseInt(track.group(1));
            if (n >= CounterFetch.COUNTERS) {
                throw new ConfigException(where, "'" + named + "' : " + n + " track-sc number exceeding "
                        + (CounterFetch.COUNTERS - 1) + " (MAX_SESS_STKCTR-1) value");
            }
            String key = ProxyKeywords.arg(w, 3, where);
            if (!key.equals("src")) {
                throw new ConfigException(where, "'" + named + " " + key + "': rtmp-router tracks only 'src' for now");
            }
            int next = 4;
            String table = p.name;
            if ("table".equals(w.size() > next ? w.get(next) : null)) {
                table = ProxyKeywords.arg(w, next + 1, where);
                next += 2;
            }
            return new TcpRequestRule(TcpRequestRule.Action.TRACK, n, table, 0,
                    condition(p, w, next, where, named, warnings), where);
        }
        Matcher sc = COUNTER_ACTION.matcher(action);
        if (sc.matches()) {
            int n = Integer.parseInt(sc.group(2));
            if (n >= CounterFetch.COUNTERS) {
                throw new ConfigException(where, "'" + named + "' : the counter number " + n + " exceeds "
                        + (CounterFetch.COUNTERS - 1));
            }
            TcpRequestRule.Action a = switch (sc.group(1)) {
                case "sc-inc-gpc0" -> TcpRequestRule.Action.INC_GPC0;
                case "sc-inc-gpc1" -> TcpRequestRule.Action.INC_GPC1;
                default -> TcpRequestRule.Action.SET_GPT0;
            };
            int next = 3;
            long value = 0;
            if (a == TcpRequestRule.Action.SET_GPT0) {
                String v = ProxyKeywords.arg(w, next++, where);
                try {
                    value = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    throw new ConfigException(where, "'" + named + "' expects an integer value, got '" + v
                            + "' (expressions are not supported by rtmp-router yet)");
                }
            }
            return new TcpRequestRule(a, n, null, value, condition(p, w, next, where, named, warnings), where);
        }
        throw new ConfigException(where, "'" + named + "' is not supported by rtmp-router yet (supported: accept,"
                + " reject, track-sc0..2, sc-inc-gpc0(N), sc-inc-gpc1(N), sc-set-gpt0(N), expect-proxy layer4)");
    }

    /** Parses `if|unless COND` starting at word {@code from}; null when the rule has no condition. */
    private static Condition condition(ProxyDraft p, List<String> w, int from, SourceLocation where, String rule,
                                       List<String> warnings) throws ConfigException {
        if (from >= w.size()) {
            return null;
        }
        String polarity = w.get(from);
        if (!polarity.equals("if") && !polarity.equals("unless")) {
            throw new ConfigException(where, "'" + rule + "' expects 'if' or 'unless', got '" + polarity + "'");
        }
        List<String> words = w.subList(from + 1, w.size());
        if (words.isEmpty()) {
            throw new ConfigException(where, "'" + rule + " " + polarity + "' is missing a condition");
        }
        List<List<Condition.Term>> alternatives = new ArrayList<>();
        List<Condition.Term> terms = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (word.equals("||") || word.equals("or")) {
                if (terms.isEmpty()) {
                    throw new ConfigException(where, "'" + word + "' has no condition on its left");
                }
                alternatives.add(terms);
                terms = new ArrayList<>();
                continue;
            }
            boolean negated = false;
            while (word.startsWith("!")) {
                negated = !negated;
                word = word.substring(1);
                if (word.isEmpty()) {
                    if (++i >= words.size()) {
                        throw new ConfigException(where, "'!' is not followed by an ACL");
                    }
                    word = words.get(i);
                }
            }
            if (word.equals("{")) {
                int end = i + 1;
                while (end < words.size() && !words.get(end).equals("}")) {
                    end++;
                }
                if (end >= words.size()) {
                    throw new ConfigException(where, "missing closing '}' in condition");
                }
                AclConfig anonymous = parseAcl(p, "{" + String.join(" ", words.subList(i + 1, end)) + "}",
                        words.subList(i + 1, end), where, warnings);
                terms.add(new Condition.Term(negated, null, List.of(anonymous)));
                i = end;
            } else if (word.startsWith("{") || word.endsWith("}")) {
                throw new ConfigException(where, "'" + word + "': braces must be separated by spaces ('{ ... }')");
            } else if (word.equals("if") || word.equals("unless")) {
                throw new ConfigException(where, "unexpected '" + word + "' in condition");
            } else {
                terms.add(new Condition.Term(negated, word, List.of()));
            }
        }
        if (terms.isEmpty()) {
            throw new ConfigException(where, "'||' has no condition on its right");
        }
        alternatives.add(terms);
        return new Condition(polarity.equals("unless"), alternatives, String.join(" ", w.subList(from, w.size())));
    }

    private static void requireFrontend(ProxyDraft p, String kw, SourceLocation where) throws ConfigException {
        if (p.kind != ProxyDraft.Kind.FRONTEND && p.kind != ProxyDraft.Kind.LISTEN) {
            throw new ConfigException(where, "'" + kw + "' is only supported in 'frontend' and 'listen' sections");
        }
    }
}
