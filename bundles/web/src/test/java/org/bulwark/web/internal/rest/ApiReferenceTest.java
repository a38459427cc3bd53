package org.bulwark.web.internal.rest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.ws.rs.core.Response;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxrs.client.JAXRSClientFactoryBean;
import org.apache.cxf.jaxrs.client.WebClient;
import org.apache.cxf.transport.local.LocalConduit;
import org.bulwark.web.internal.auth.ApiKeys;
import org.bulwark.web.internal.auth.Authenticator;
import org.bulwark.web.internal.auth.LoginLimiter;
import org.bulwark.web.internal.auth.Sessions;
import org.bulwark.web.internal.auth.UserStore;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The OpenAPI description as served ({@code GET /openapi.json}, anonymous) describes every call
 * fully, and {@code docs/api-reference.md} is what it renders to: the test fails when the reference
 * is out of date, and {@code -Dbulwark.apiref.write=true} rewrites it.
 */
public class ApiReferenceTest {
  private static final Path REFERENCE = Path.of("../../docs/api-reference.md");

  @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();

  private static Bus bus;
  private static Server server;
  private static JsonNode doc;

  @BeforeClass
  public static void serve() throws Exception {
    FakeNode node = new FakeNode();
    var env = node.env(tmp.getRoot().toPath());
    ApiKeys keys = new ApiKeys(WebConf.directory(env));
    Authenticator authenticator =
        new Authenticator(
            new UserStore(WebConf.directory(env), 4),
            keys,
            new LoginLimiter(Clock.systemUTC()::instant),
            new Sessions(() -> Instant.EPOCH));
    ApiServices services =
        node.services(
            env,
            authenticator,
            keys,
            new NodeForwarder(
                Optional::empty,
                1,
                new org.bulwark.web.internal.rcmd.RcmdCredentials(WebConf.directory(env))));
    bus = BusFactory.newInstance().createBus();
    String address = "local://api-reference";
    server = RestApi.start(services, bus, address);
    JAXRSClientFactoryBean bean = new JAXRSClientFactoryBean();
    bean.setAddress(address);
    bean.setBus(bus);
    WebClient c = bean.createWebClient();
    WebClient.getConfig(c).getRequestContext().put(LocalConduit.DIRECT_DISPATCH, Boolean.TRUE);
    Response r = c.path("openapi.json").accept("application/json").get();
    assertEquals("the description is anonymous", 200, r.getStatus());
    doc = new ObjectMapper().readTree(r.readEntity(String.class));
  }

  @AfterClass
  public static void stop() {
    server.destroy();
    bus.shutdown(true);
  }

  private static List<JsonNode> operations() {
    List<JsonNode> ops = new ArrayList<>();
    doc.path("paths").forEach(item -> item.forEach(ops::add));
    return ops;
  }

  @Test
  public void describesTheApiOfTheSpec() {
    assertEquals(OpenApi.OPENAPI, doc.path("openapi").asText());
    assertEquals("/api/v1.0", doc.path("servers").path(0).path("url").asText());
    JsonNode paths = doc.path("paths");
    for (String path :
        List.of(
            "/level",
            "/modules",
            "/modules/{module}",
            "/modules/{module}/log",
            "/cmdlog",
            "/events",
            "/openapi.json",
            "/nodes/{node}/{path}")) {
      assertTrue(path + " missing from " + paths.fieldNames(), paths.has(path));
    }
    JsonNode log = paths.path("/modules/{module}/log").path("get");
    assertEquals("Monitor", log.path("x-role").asText());
    assertEquals(
        "#/components/schemas/LogPage",
        log.path("responses")
            .path("200")
            .path("content")
            .path("application/json")
            .path("schema")
            .path("$ref")
            .asText());
    assertTrue(log.path("responses").has("404"));
  }

  @Test
  public void everyCallHasASummaryARoleAndItsProblems() {
    Pattern template = Pattern.compile("\\{(\\w+)}");
    doc.path("paths")
        .fields()
        .forEachRemaining(
            item ->
                item.getValue()
                    .fields()
                    .forEachRemaining(
                        op -> {
                          String call = op.getKey() + " " + item.getKey();
                          JsonNode o = op.getValue();
                          assertFalse(call, o.path("summary").asText().isBlank());
                          assertFalse(
                              call + " has no @ApiDoc",
                              o.path("summary").asText().matches("[a-z][A-Za-z]*"));
                          assertTrue(call, o.has("security"));
                          if (o.has("x-role")) {
                            assertTrue(call, o.path("responses").has("401"));
                            assertTrue(call, o.path("responses").has("403"));
                          }
                          List<String> declared = new ArrayList<>();
                          o.path("parameters")
                              .forEach(
                                  p -> {
                                    declared.add(p.path("name").asText());
                                    assertTrue(
                                        call + " " + p.path("name"),
                                        p.has("description")
                                            || p.path("in").asText().equals("cookie"));
                                  });
                          Matcher m = template.matcher(item.getKey());
                          while (m.find()) {
                            assertTrue(call + " " + m.group(1), declared.contains(m.group(1)));
                          }
                          o.path("responses")
                              .fields()
                              .forEachRemaining(
                                  r -> {
                                    if (r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
                                      assertTrue(
                                          call + " " + r.getKey(),
                                          r.getValue().path("content").has(Problem.MEDIA_TYPE));
                                    }
                                  });
                        }));
    assertTrue(operations().size() >= 25);
  }

  @Test
  public void theReferenceIsGeneratedFromTheDescription() throws Exception {
    String markdown = ApiReference.markdown(doc);
    if (Boolean.getBoolean("bulwark.apiref.write")) {
      Files.writeString(REFERENCE, markdown, StandardCharsets.UTF_8);
    }
    String committed =
        Files.exists(REFERENCE) ? Files.readString(REFERENCE, StandardCharsets.UTF_8) : "";
    assertEquals(
        "docs/api-reference.md is out of date: regenerate it with mvn -o test -pl bundles/web"
            + " -Dtest=ApiReferenceTest -Dbulwark.apiref.write=true",
        markdown,
        committed);
  }
}
