package io.nbnet.saver;

import io.nbnet.support.config.ConfigView;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * {@code saver.liveness}: when a host counts as late or silent, how often that is checked, and where
 * to send alerts.
 *
 * @param silentAfterMillis     a host not heard from this long is silent
 * @param checkMillis           how often the hosts are evaluated
 * @param defaultIntervalMillis the interval assumed until a host's own is known (legacy agents send every 30 s)
 * @param webhook               an Alertmanager-compatible endpoint ({@code .../api/v2/alerts}), if any
 * @param groupShare            when more than this share of the hosts go silent in one check, one grouped alert names them
 * @param resendMillis          how often alerts of hosts still silent are sent again (0: never)
 */
public record LivenessConfig(long silentAfterMillis, long checkMillis, long defaultIntervalMillis, Optional<URI> webhook,
                             double groupShare, long resendMillis) {

  public static LivenessConfig from(ConfigView config) {
    // a secret: webhook URLs often carry a token
    Optional<URI> webhook = config.secret("webhookUrl").map(url -> {
      URI uri;
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        throw config.error("webhookUrl", "is not a URL (the value is not shown: it may hold a token)");
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw config.error("webhookUrl", "must be an http:// or https:// URL");
      }
      return uri;
    });
    return new LivenessConfig(
      config.longValue("silentAfterMs", 300_000, 1_000, 86_400_000L * 30),
      config.longValue("checkIntervalMs", 10_000, 100, 600_000),
      config.longValue("defaultIntervalMs", 30_000, 1_000, 86_400_000),
      webhook,
      config.doubleValue("groupShare", 0.2, 0, 1),
      config.longValue("resendMs", 60_000, 0, 86_400_000));
  }
}
