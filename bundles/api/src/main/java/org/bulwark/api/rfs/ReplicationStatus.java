package org.bulwark.api.rfs;

/**
 * Where the replication of a module stands.
 *
 * @param role {@code none}, {@code primary} or {@code secondary}
 * @param link {@code absent}, {@code reintegrating} or {@code synchronous}
 * @param filesToCopy files left to copy in the running reintegration (0 outside one)
 * @param bytesToCopy bytes left to copy in the running reintegration
 * @param bytesCopied bytes copied so far by the running (or last) reintegration
 * @param bytesPerSecond copy rate of the running reintegration
 * @param dirtyZones zones this primary knows may differ on the secondary
 * @param refused messages refused as malformed, out of order or escaping their directory
 */
public record ReplicationStatus(
    String role,
    String link,
    long filesToCopy,
    long bytesToCopy,
    long bytesCopied,
    long bytesPerSecond,
    long dirtyZones,
    long refused) {

  public static final ReplicationStatus NONE =
      new ReplicationStatus("none", "absent", 0, 0, 0, 0, 0, 0);
}
