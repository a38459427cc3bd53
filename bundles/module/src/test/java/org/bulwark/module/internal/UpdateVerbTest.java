package org.bulwark.module.internal;

import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.junit.Test;

/** {@code safekit update}: a wrong command line is a usage error before any module is asked. */
public class UpdateVerbTest {

  private static final PrintWriter SINK = new PrintWriter(new StringWriter());

  @Test
  public void updateTakesNoArgument() {
    UpdateVerb verb =
        new UpdateVerb(
            request -> {
              throw new AssertionError("a module was asked");
            });
    CliOutput out = CliOutput.of(SINK, SINK);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> verb.run(new CliRequest("update", List.of("now"), "AM", null, Map.of()), out));
    assertTrue(e.getMessage(), e.getMessage().contains("unexpected argument 'now'"));
  }
}
