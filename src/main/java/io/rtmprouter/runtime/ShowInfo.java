package io.rtmprouter.runtime;

import io.rtmprouter.proxy.FrontendStats;
import io.rtmprouter.proxy.Router;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * `show info`: HAProxy 2.6's fields in its order, `Name: value` lines. Fields that count what
 * rtmp-router does not do (SSL to servers, compression, peers, memory pools) read 0.
 */
final class ShowInfo {
    private ShowInfo() {
    }

    static String render(Router router, String version) {
        long current = 0;
        long total = 0;
        long rate = 0;
        long maxRate = 0;
        long bytesOut = 0;
        for (FrontendStats f : router.frontends()) {
            current += f.traffic().current();
            total += f.traffic().total();
            rate += f.traffic().rate();
            maxRate = Math.max(maxRate, f.traffic().rateMax());
            bytesOut += f.traffic().endedBytesOut();
        }
        long uptime = router.uptimeSeconds();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", "rtmp-router");
        m.put("Version", version);
        m.put("Release_date", "-");
        m.put("Nbthread", router.threads());
        m.put("Nbproc", 1);
        m.put("Process_num", 1);
        m.put("Pid", ProcessHandle.current().pid());
        m.put("Uptime", String.format("%dd %dh%02dm%02ds", uptime / 86400, uptime / 3600 % 24, uptime / 60 % 60,
                uptime % 60));
        m.put("Uptime_sec", uptime);
        m.put("Memmax_MB", 0);
        m.put("PoolAlloc_MB", 0);
        m.put("PoolUsed_MB", 0);
        m.put("PoolFailed", 0);
        m.put("Ulimit-n", 0);
        m.put("Maxsock", 0);
        m.put("Maxconn", router.maxconn());
        m.put("Hard_maxconn", router.maxconn());
        m.put("CurrConns", current);
        m.put("CumConns", total);
        m.put("CumReq", total);
        for (String zero : new String[] {"MaxSslConns", "CurrSslConns", "CumSslConns", "Maxpipes", "PipesUsed",
                "PipesFree"}) {
            m.put(zero, 0);
        }
        m.put("ConnRate", rate);
        m.put("ConnRateLimit", 0);
        m.put("MaxConnRate", maxRate);
        m.put("SessRate", rate);
        m.put("SessRateLimit", 0);
        m.put("MaxSessRate", maxRate);
        for (String zero : new String[] {"SslRate", "SslRateLimit", "MaxSslRate", "SslFrontendKeyRate",
                "SslFrontendMaxKeyRate", "SslFrontendSessionReuse_pct", "SslBackendKeyRate", "SslBackendMaxKeyRate",
                "SslCacheLookups", "SslCacheMisses", "CompressBpsIn", "CompressBpsOut", "CompressBpsRateLim",
                "Tasks", "Run_queue"}) {
            m.put(zero, 0);
        }
        m.put("Idle_pct", 100);
        m.put("node", hostName());
        m.put("Stopping", 0);
        m.put("Jobs", current);
        m.put("Unstoppable Jobs", 0);
        m.put("Listeners", router.frontends().stream().mapToInt(f -> f.config().binds().size()).sum());
        m.put("ActivePeers", 0);
        m.put("ConnectedPeers", 0);
        m.put("DroppedLogs", router.droppedLogs());
        m.put("BusyPolling", 0);
        m.put("FailedResolutions", 0);
        m.put("TotalBytesOut", bytesOut);
        m.put("TotalSplicdedBytesOut", 0);
        m.put("BytesOutRate", 0);
        m.put("DebugCommandsIssued", 0);
        m.put("CumRecvLogs", 0);
        m.put("Build info", version);
        m.put("Memmax_bytes", 0);
        m.put("PoolAlloc_bytes", 0);
        m.put("PoolUsed_bytes", 0);
        m.put("Start_time_sec", router.startedAtMillis() / 1000);
        m.put("Tainted", 0);
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(k).append(": ").append(v).append('\n'));
        return b.toString();
    }

    /** The kernel's host name, as HAProxy's default `node`; read, not looked up (no DNS). */
    private static String hostName() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (java.io.IOException e) {
            return "-";
        }
    }
}
