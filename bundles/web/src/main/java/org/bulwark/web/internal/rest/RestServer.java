package org.bulwark.web.internal.rest;

import java.nio.file.Path;
import java.time.Clock;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.endpoint.Server;
import org.bulwark.api.cli.CliService;
import org.bulwark.api.config.ConfigService;
import org.bulwark.api.env.NodeEnvironment;
import org.bulwark.api.runtime.ModuleRegistry;
import org.bulwark.api.runtime.ModuleStateListener;
import org.bulwark.api.store.CommandLog;
import org.bulwark.api.store.EventLog;
import org.bulwark.api.store.ResourceHistory;
import org.bulwark.web.internal.auth.ApiKeys;
import org.bulwark.web.internal.auth.Authenticator;
import org.bulwark.web.internal.auth.LoginLimiter;
import org.bulwark.web.internal.auth.Sessions;
import org.bulwark.web.internal.events.ClusterFeed;
import org.bulwark.web.internal.events.StateFeed;
import org.bulwark.web.internal.rcmd.RcmdCredentials;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Publishes the REST API on CXF's default bus, whose servlet Pax Web serves under {@code /api}:
 * {@code /api/v1.0/…} on the node's web port. Users and API keys are the files of {@code
 * SAFE/web/conf} (see {@link WebConf}).
 */
@Component(immediate = true)
public final class RestServer {
  private final Server server;
  private final StateFeed feed;
  private final ClusterFeed clusterFeed;

  private final ServiceRegistration<ModuleStateListener> listening;

  @Activate
  public RestServer(
      BundleContext context,
      @Reference NodeEnvironment env,
      @Reference CliService cli,
      @Reference ModuleRegistry modules,
      @Reference EventLog events,
      @Reference ResourceHistory resources,
      @Reference CommandLog commands,
      @Reference ConfigService config) {
    Path conf = WebConf.directory(env);
    ApiKeys keys = new ApiKeys(conf);
    Authenticator authenticator =
        new Authenticator(
            WebConf.users(env),
            keys,
            new LoginLimiter(Clock.systemUTC()::instant),
            new Sessions(Clock.systemUTC()::instant));
    ApiServices services =
        new ApiServices(
            env,
            cli,
            modules,
            events,
            resources,
            commands,
            config,
            authenticator,
            keys,
            new NodeForwarder(
                NodeForwarder.applied(env, config), WebConf.webPort(), new RcmdCredentials(conf)));
    Bus bus = BusFactory.getDefaultBus();
    this.feed = new StateFeed(modules, resources, Clock.systemUTC(), RestApi.maxStreams());
    this.clusterFeed = RestApi.clusterFeed(services, feed);
    this.server = RestApi.start(services, bus, RestApi.ADDRESS, feed, clusterFeed);
    // the module runtime tells the feed of each state it publishes (whiteboard)
    this.listening = context.registerService(ModuleStateListener.class, feed, null);
  }

  @Deactivate
  void deactivate() {
    listening.unregister();
    clusterFeed.close();
    feed.close();
    server.destroy();
  }
}
