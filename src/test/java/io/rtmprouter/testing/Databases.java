package io.rtmprouter.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Throwaway PostgreSQL and MariaDB servers of Debian's packages, each in a directory of the
 * test's own, on a loopback address: what operators put behind `option pgsql-check` and
 * `option mysql-check`. Started through the rig, so they are stopped after the class's tests.
 */
public final class Databases {
    /** Debian's PostgreSQL programs: /usr/lib/postgresql/VERSION/bin, the newest installed. */
    private static final Path POSTGRES_BIN = postgresBin();

    private Databases() {
    }

    private static Path postgresBin() {
        try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("postgres")))
                    .max(java.util.Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString())))
                    .orElseThrow(() -> new AssertionError("postgresql is not installed (run scripts/setup-debian)"));
        } catch (IOException e) {
            throw new AssertionError("postgresql is not installed (run scripts/setup-debian): " + e);
        }
    }

    /** A PostgreSQL cluster (trust authentication) listening on address:5432; its data directory. */
    public static Path postgres(ScenarioRig rig, String address) {
        Path dir = rig.dir().resolve("postgres-" + address);
        Path data = dir.resolve("data");
        try {
            // The test's directory is root's, mode 700: postgres may pass through it to its own.
            Files.setPosixFilePermissions(rig.dir(), java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
            Files.createDirectories(dir);
            Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
        } catch (IOException e) {
            throw new AssertionError("cannot prepare " + dir + " for postgres: " + e, e);
        }
        Programs.Result init = asPostgres(List.of(POSTGRES_BIN.resolve("initdb").toString(), "-D", data.toString(),
                "-A", "trust", "-U", "postgres", "--no-sync"));
        if (init.exitCode() != 0) {
            throw new AssertionError("initdb failed: " + init.stderr());
        }
        rig.program(Programs.start(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups",
                POSTGRES_BIN.resolve("postgres").toString(), "-D", data.toString(), "-h", address, "-p", "5432",
                "-k", dir.toString()), Map.of(), rig.dir().resolve("postgres-" + address + ".log")));
        awaitListening(address, 5432, "postgres");
        return data;
    }

    /** Prepends a line to the cluster's pg_hba.conf (or takes it out again) and has the server read it. */
    public static void pgHba(Path data, String line, boolean present) throws IOException {
        Path hba = data.resolve("pg_hba.conf");
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(hba));
        lines.remove(line);
        if (present) {
            lines.add(0, line);
        }
        Files.write(hba, lines);
        Programs.Result r = asPostgres(List.of(POSTGRES_BIN.resolve("pg_ctl").toString(), "reload", "-D", data.toString()));
        if (r.exitCode() != 0) {
            throw new AssertionError("pg_ctl reload failed: " + r.stderr());
        }
    }

    private static Programs.Result asPostgres(List<String> command) {
        List<String> cmd = new java.util.ArrayList<>(List.of("setpriv", "--reuid=postgres", "--regid=postgres",
                "--init-groups"));
        cmd.addAll(command);
        return Programs.run(cmd, Map.of(), Duration.ofSeconds(60));
    }

    /** A MariaDB server listening on address:3306; the path of its local socket, for {@link #mariadbSql}. */
    public static Path mariadb(ScenarioRig rig, String address) {
        Path dir = rig.dir().resolve("mariadb-" + address);
        Path socket = dir.resolve("sock");
        Programs.Result init = Programs.run(List.of("mariadb-install-db", "--no-defaults", "--datadir=" + dir.resolve("data"),
                "--user=root", "--auth-root-authentication-method=normal", "--skip-name-resolve", "--skip-test-db"),
                Map.of(), Duration.ofSeconds(120));
        if (init.exitCode() != 0) {
            throw new AssertionError("mariadb-install-db failed: " + init.stdout() + init.stderr());
        }
        rig.program(Programs.start(List.of("mariadbd", "--no-defaults", "--datadir=" + dir.resolve("data"), "--user=root",
                "--bind-address=" + address, "--port=3306", "--socket=" + socket, "--pid-file=" + dir.resolve("pid"),
                "--skip-name-resolve", "--skip-log-bin"), Map.of(), rig.dir().resolve("mariadb-" + address + ".log")));
        awaitListening(address, 3306, "mariadbd");
        return socket;
    }

    /** Runs SQL as root through the server's local socket. */
    public static void mariadbSql(Path socket, String sql) {
        Programs.Result r = Programs.run(List.of("mariadb", "--no-defaults", "-S", socket.toString(), "-u", "root",
                "-e", sql), Map.of(), Duration.ofSeconds(30));
        if (r.exitCode() != 0) {
            throw new AssertionError("mariadb -e '" + sql + "' failed: " + r.stderr());
        }
    }

    private static void awaitListening(String address, int port, String what) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, port), 200);
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(ie);
                }
            }
        }
        throw new AssertionError(what + " did not listen on " + address + ":" + port + " within 60 s");
    }
}
