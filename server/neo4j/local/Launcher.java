// Runs Neo4j Community embedded with Bolt on loopback for Ripple's local mode and tests.
// Lifetime is tied to the Node process that spawned it: EOF on stdin, or the parent dying, shuts it down,
// so no JVM outlives a Ctrl-C, a SIGTERM or a crashed test run.
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.neo4j.configuration.GraphDatabaseSettings;
import java.time.Duration;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

public class Launcher {
  private static final AtomicBoolean stopped = new AtomicBoolean(false);

  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      System.err.println("usage: Launcher <home> <port> <passwordFile> <pagecacheBytes> [pluginDir]");
      System.exit(2);
    }
    Path home = Path.of(args[0]).toAbsolutePath();
    int port = Integer.parseInt(args[1]);
    String password = Files.readString(Path.of(args[2])).trim();
    long pagecache = Long.parseLong(args[3]);
    // Ripple's own procedures (server/neo4j/plugin), loaded from their jar the way a server loads plugins.
    String pluginDir = args.length > 4 ? args[4] : "";

    DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
        .setConfig(BoltConnector.enabled, true)
        .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
        .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
        .setConfig(GraphDatabaseSettings.auth_enabled, true)
        .setConfig(GraphDatabaseSettings.pagecache_memory, pagecache)
        .setConfig(GraphDatabaseSettings.logs_directory, home.resolve("logs"))
        // Ripple closes its driver before stopping Neo4j, so there is nothing for Bolt to drain: the default
        // 5 s + 5 s grace periods would only make every stop ten seconds long.
        .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofMillis(500))
        .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofMillis(500))
        // No usage pings: the machine is offline and a local CMDB has nothing to report.
        .setConfig(GraphDatabaseSettings.udc_enabled, false)
        // Timeouts are enforced by a monitor that looks every 2 s by default, so a 15 s limit could run 17 s; Ripple's
        // lanes promise their limits, and the check is cheap.
        .setConfig(GraphDatabaseSettings.transaction_monitor_check_interval, Duration.ofMillis(100))
        .setConfig(GraphDatabaseSettings.plugin_dir, pluginDir.isEmpty() ? home.resolve("plugins") : Path.of(pluginDir))
        .build();

    Runnable stop = () -> {
      if (stopped.compareAndSet(false, true)) {
        try { dbms.shutdown(); } catch (Throwable t) { t.printStackTrace(); }
      }
    };
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "ripple-neo4j-shutdown"));

    // Setting the password costs the first Cypher compilation (seconds), so it is done once per data directory.
    Path applied = home.resolve("password.applied");
    if (!Files.exists(applied)) {
      try {
        dbms.database("system").executeTransactionally(
            "ALTER USER neo4j SET PASSWORD $p CHANGE NOT REQUIRED", Map.of("p", password));
      } catch (RuntimeException e) {
        // Neo4j refuses to re-set the password it already has; that only means a marker was lost.
        String msg = String.valueOf(e.getMessage());
        if (!msg.contains("Old password and new password cannot be the same")) throw e;
      }
      Files.writeString(applied, "yes\n");
    }

    ProcessHandle.current().parent().ifPresent(parent ->
        parent.onExit().thenRun(() -> { stop.run(); System.exit(0); }));

    System.out.println("READY bolt://127.0.0.1:" + port + " pid=" + ProcessHandle.current().pid());
    System.out.flush();

    InputStream in = System.in;
    byte[] buf = new byte[256];
    while (in.read(buf) >= 0) { /* the parent never writes; we only wait for EOF */ }
    stop.run();
    System.exit(0);
  }
}
