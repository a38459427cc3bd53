package org.bulwark.config.internal;

import static org.bulwark.config.internal.TestFiles.CONTEXT;
import static org.bulwark.config.internal.TestFiles.SERVICE;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bulwark.api.config.ConfigResult;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Nothing outside the file is ever read. The external entities here point to a named pipe: a parser
 * that opened it would block for ever (the test's timeout catches that), and to a file whose
 * content must never show up.
 */
public class SecureParsingTest {

  private Path dir;
  private Path fifo;
  private Path secret;

  @Before
  public void files() throws IOException, InterruptedException {
    dir = Files.createTempDirectory("bulwark-secure");
    fifo = dir.resolve("pipe");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertEquals(0, mkfifo.waitFor());
    secret = dir.resolve("secret.txt");
    Files.writeString(secret, "TOP-SECRET-CONTENT");
  }

  @After
  public void cleanUp() throws IOException {
    Files.deleteIfExists(fifo);
    Files.deleteIfExists(secret);
    Files.deleteIfExists(dir);
  }

  private static final String BODY =
      "<safe><service mode=\"mirror\"><heart><heartbeat "
          + "name=\"default\"/></heart><user><var name=\"V\" value=\"&x;\"/></user></service></safe>";

  @Test(timeout = 20_000)
  public void externalEntitiesAndDtdsAreNeverOpened() {
    for (Path target : List.of(fifo, secret)) {
      String uri = target.toUri().toString();
      for (String doctype :
          List.of(
              "<!DOCTYPE safe [<!ENTITY x SYSTEM \"" + uri + "\">]>",
              "<!DOCTYPE safe [<!ENTITY % p SYSTEM \"" + uri + "\"> %p;]>",
              "<!DOCTYPE safe SYSTEM \"" + uri + "\">",
              "<!DOCTYPE safe PUBLIC \"-//A//B\" \"" + uri + "\">")) {
        ConfigResult<?> result =
            SERVICE.parseModule(
                "u.xml", (doctype + BODY).getBytes(StandardCharsets.UTF_8), CONTEXT);
        assertFalse(result.isValid());
        assertEquals(1, result.errors().size());
        assertTrue(result.errors().get(0).message().startsWith("DOCTYPE declarations"));
        assertFalse(result.toString().contains("TOP-SECRET"));
      }
    }
  }

  @Test(timeout = 20_000)
  public void xincludeIsNotProcessed() {
    String text =
        "<!DOCTYPE safe><safe><service mode=\"farm\"><farm><lan name=\"default\"/>"
            + "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\""
            + fifo.toUri()
            + "\"/></farm></service></safe>";
    ConfigResult<?> result =
        SERVICE.parseModule("u.xml", text.getBytes(StandardCharsets.UTF_8), CONTEXT);
    assertEquals(
        List.of(
            "u.xml:1:70: /safe/service/farm/include: unknown element <include> in"
                + " <farm>; expected one of: <lan>"),
        SeedConfigurationTest.formatted(result.errors()));
  }

  @Test
  public void entityExpansionHasNothingToExpand() {
    StringBuilder doctype = new StringBuilder("<!DOCTYPE safe [<!ENTITY a0 \"lol\">");
    for (int i = 1; i < 10; i++) {
      doctype
          .append("<!ENTITY a")
          .append(i)
          .append(" \"")
          .append(("&a" + (i - 1) + ";").repeat(10))
          .append("\">");
    }
    doctype.append("]>");
    ConfigResult<?> result =
        SERVICE.parseModule(
            "u.xml",
            (doctype + BODY.replace("&x;", "&a9;")).getBytes(StandardCharsets.UTF_8),
            CONTEXT);
    assertEquals(1, result.errors().size());
    assertTrue(result.errors().get(0).message().startsWith("DOCTYPE declarations"));
  }

  @Test
  public void theBareDoctypeOfSafekitFilesIsAccepted() {
    for (String doctype : List.of("<!DOCTYPE safe>", "<!DOCTYPE  safe >", "")) {
      String text =
          doctype
              + "\n<safe><service mode=\"farm\"><farm><lan name=\"default\"/>"
              + "</farm></service></safe>";
      assertTrue(
          doctype,
          SERVICE.parseModule("u.xml", text.getBytes(StandardCharsets.UTF_8), CONTEXT).isValid());
    }
    String cluster =
        "<!DOCTYPE cluster><cluster><lans><lan name=\"a\"><node name=\"n1\" "
            + "addr=\"10.0.0.1\"/><node name=\"n2\" addr=\"[fe80::1]\"/></lan></lans></cluster>";
    assertTrue(SERVICE.parseCluster("c.xml", cluster.getBytes(StandardCharsets.UTF_8)).isValid());
  }

  @Test
  public void oversizedFilesAreRefusedBeforeParsing() {
    byte[] big = new byte[XmlConfigService.MAX_BYTES + 1];
    assertEquals(
        List.of("c.xml:1:1: /: file too large (4194305 bytes; at most 4194304)"),
        SeedConfigurationTest.formatted(SERVICE.parseCluster("c.xml", big).errors()));
  }

  @Test
  public void missingFileIsAnErrorNotAnException() {
    ConfigResult<?> result = SERVICE.loadCluster(dir.resolve("none.xml"));
    assertEquals(
        dir.resolve("none.xml") + ":1:1: /: no such file", result.errors().get(0).format());
  }

  @Test
  public void latin1DeclaredFilesAreDecodedAsDeclared() {
    byte[] text =
        ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><safe><service mode=\"farm\">"
                + "<farm><lan name=\"default\"/></farm><user><var name=\"V\" value=\"caf\u00e9\"/></user>"
                + "</service></safe>")
            .getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(
        "caf\u00e9",
        SERVICE
            .parseModule("u.xml", text, CONTEXT)
            .orElseThrow()
            .user()
            .orElseThrow()
            .vars()
            .get(0)
            .value());
  }
}
