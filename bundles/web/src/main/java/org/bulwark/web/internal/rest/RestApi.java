package org.bulwark.web.internal.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.jaxrs.json.JacksonJsonProvider;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.cxf.Bus;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxrs.JAXRSServerFactoryBean;
import org.bulwark.web.internal.events.ClusterFeed;
import org.bulwark.web.internal.events.StateFeed;

/** The REST API (spec G.5): its resources and providers on a CXF JAX-RS endpoint. */
public final class RestApi {
  /** Where the API is, under CXF's servlet ({@code /api}, {@code etc/org.apache.cxf.osgi.cfg}). */
  public static final String ADDRESS = "/v1.0";

  private RestApi() {}

  /** Starts the API at {@code address} on {@code bus}, with a state feed of its own. */
  public static Server start(ApiServices services, Bus bus, String address) {
    return start(
        services,
        bus,
        address,
        new StateFeed(services.modules(), services.resources(), Clock.systemUTC(), maxStreams()));
  }

  /** Starts the API at {@code address} on {@code bus}; {@code /events} streams {@code feed}. */
  public static Server start(ApiServices services, Bus bus, String address, StateFeed feed) {
    return start(services, bus, address, feed, clusterFeed(services, feed));
  }

  /** The feed of {@code /events/cluster}: {@code feed} and the other nodes' streams. */
  public static ClusterFeed clusterFeed(ApiServices services, StateFeed feed) {
    return new ClusterFeed(
        feed, services.forwarder().topology(services.env()), Clock.systemUTC(), maxStreams());
  }

  /**
   * Starts the API at {@code address} on {@code bus}; {@code /events} streams {@code feed}, {@code
   * /events/cluster} streams {@code cluster}.
   */
  public static Server start(
      ApiServices services, Bus bus, String address, StateFeed feed, ClusterFeed cluster) {
    JAXRSServerFactoryBean bean = new JAXRSServerFactoryBean();
    bean.setBus(bus);
    bean.setAddress(address);
    List<Object> resources =
        List.of(
            new NodeResource(services.env()),
            new ModulesResource(services),
            new TimelineResource(services),
            new UserLogsResource(services),
            new LastConfigResource(services),
            new SnapshotResource(services),
            new CommandsResource(services.commands()),
            new ClusterResource(services),
            new WizardResource(services, WebConf.webPort()),
            new ApiKeysResource(services.apiKeys(), services.commands()),
            new NodesResource(services.forwarder()),
            new ExecResource(services.cli()),
            new SessionResource(services.authenticator()),
            new EventsResource(feed, cluster, EventsResource.KEEPALIVE));
    List<Object> beans = new ArrayList<>(resources);
    beans.add(new OpenApiResource(classes(resources), services.env().version()));
    bean.setServiceBeans(beans);
    bean.setProviders(
        List.of(
            new JacksonJsonProvider(mapper()),
            new ProblemMapper(),
            new AuthFilter(services.authenticator(), services.forwarder()::relayUser)));
    return bean.create();
  }

  /** The classes of the resources, in order, for the OpenAPI description. */
  static List<Class<?>> classes(List<Object> resources) {
    return resources.stream().<Class<?>>map(Object::getClass).toList();
  }

  /** The most {@code /events} streams open at once ({@code bulwark.web.events.max}, 32). */
  public static int maxStreams() {
    return Integer.getInteger("bulwark.web.events.max", 32);
  }

  static ObjectMapper mapper() {
    return new ObjectMapper()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .setSerializationInclusion(JsonInclude.Include.NON_NULL);
  }
}
