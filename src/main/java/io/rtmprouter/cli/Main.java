package io.rtmprouter.cli;

import io.rtmprouter.proxy.Router;
import io.rtmprouter.runtime.RuntimeApiServer;
import io.rtmprouter.proxy.StartupException;
import io.rtmprouter.bench.BenchCommand;
import io.rtmprouter.config.ConfigException;
import io.rtmprouter.config.ConfigParser;
import io.rtmprouter.config.RouterConfig;
import io.rtmprouter.tls.CertificateLoadException;
import io.rtmprouter.tls.TlsBinds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/** `rtmp-router -f FILE [-f FILE...] [-c]`, with haproxy's meaning for the flags. */
public final class Main {
    static final int OK = 0;
    static final int INVALID = 1;
    static final int USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != OK || isCheckOrInfo(args)) {
            System.exit(code);
        }
    }

    private static boolean isCheckOrInfo(String[] args) {
        return args.length > 0 && args[0].equals("bench") || List.of(args).stream().anyMatch(a -> a.equals("-c") || a.equals("-v") || a.equals("-h")
                || a.equals("--help") || a.equals("-vv"));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("bench")) {
            return BenchCommand.run(List.of(args).subList(1, args.length), out, err);
        }
        List<Path> files = new ArrayList<>();
        boolean checkOnly = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-f" -> {
                    if (i + 1 >= args.length) {
                        err.println("rtmp-router: -f needs a file or directory");
                        return USAGE;
                    }
                    files.add(Path.of(args[++i]));
                }
                case "-c" -> checkOnly = true;
                case "-v", "-vv" -> {
                    out.println("rtmp-router version " + version());
                    return OK;
                }
                case "-h", "--help" -> {
                    usage(out);
                    return OK;
                }
                default -> {
                    err.println("rtmp-router: unknown option '" + args[i] + "'");
                    usage(err);
                    return USAGE;
                }
            }
        }
        if (files.isEmpty()) {
            err.println("rtmp-router: no configuration file given (-f FILE)");
            usage(err);
            return USAGE;
        }
        RouterConfig config;
        try {
            config = ConfigParser.parse(sources(files));
        } catch (ConfigException e) {
            e.messages().forEach(err::println);
            err.println("[ALERT] Fatal errors found in configuration: " + counts(e.errors().size(), e.warnings().size()) + ".");
            return INVALID;
        } catch (IOException e) {
            err.println("[ALERT] Cannot read configuration: " + e.getMessage());
            return INVALID;
        }
        config.warnings().forEach(err::println);
        if (checkOnly) {
            // Like haproxy -c, a check loads the certificates too: a bad PEM is a configuration error.
            List<CertificateLoadException> errors = TlsBinds.load(config.frontends()).errors();
            if (!errors.isEmpty()) {
                errors.forEach(e -> err.println("[ALERT] " + e.getMessage()));
                err.println("[ALERT] Fatal errors found in configuration: "
                        + counts(errors.size(), config.warnings().size()) + ".");
                return INVALID;
            }
            if (!config.warnings().isEmpty()) {
                err.println("Warnings were found: " + counts(0, config.warnings().size()) + ".");
            }
            out.println("Configuration file is valid");
            return OK;
        }
        return serve(config, err);
    }

    /** The summary's counts: "2 errors, 1 warning". */
    private static String counts(int errors, int warnings) {
        String w = warnings + (warnings == 1 ? " warning" : " warnings");
        return errors == 0 ? w : errors + (errors == 1 ? " error, " : " errors, ") + w;
    }

    private static int serve(RouterConfig config, PrintStream err) {
        Logger log = LoggerFactory.getLogger("router");
        Router router;
        try {
            router = Router.start(config);
        } catch (StartupException e) {
            err.println("[ALERT] " + e.getMessage());
            return INVALID;
        }
        RuntimeApiServer api;
        try {
            api = RuntimeApiServer.start(router, config.global().stats(), version());
        } catch (IOException | RuntimeException e) {
            err.println("[ALERT] cannot open the stats socket: " + e.getMessage());
            router.close();
            return INVALID;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            router.close();
            return INVALID;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM and SIGINT run shutdown hooks: stop listening and end sessions before exiting.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("event=stopping msg=\"signal received\"");
            api.close();
            router.close();
            stopped.countDown();
            // A requested stop that completed is a success: exit 0 rather than the JVM's 143.
            System.out.flush();
            Runtime.getRuntime().halt(OK);
        }, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OK;
    }

    /** A directory stands for the *.cfg files in it, in alphabetical order, as with haproxy -f DIR. */
    static List<ConfigParser.Source> sources(List<Path> paths) throws IOException {
        List<ConfigParser.Source> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    for (Path f : s.filter(x -> x.toString().endsWith(".cfg")).sorted().toList()) {
                        out.add(ConfigParser.Source.of(f));
                    }
                }
            } else {
                out.add(ConfigParser.Source.of(p));
            }
        }
        return out;
    }

    static String version() {
        try (InputStream in = Main.class.getResourceAsStream("/rtmp-router.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void usage(PrintStream s) {
        s.println("usage: java -jar rtmp-router.jar -f FILE|DIR [-f FILE|DIR ...] [-c]");
        s.println("  -f FILE  configuration file in HAProxy syntax (a directory: its *.cfg files)");
        s.println("  -c       check the configuration and exit (0 valid, 1 invalid)");
        s.println("  -v       print the version and exit");
        s.println("       java -jar rtmp-router.jar bench --url rtmp://HOST/APP/STREAM [...]  (load generator; bench -h)");
    }
}
